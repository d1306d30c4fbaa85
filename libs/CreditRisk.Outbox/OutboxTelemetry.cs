using System.Diagnostics.Metrics;

namespace CreditRisk.Outbox;

/// <summary>The relays' metrics, tagged with their table (exported with the platform's "CreditRisk.*" meters).</summary>
public static class OutboxTelemetry
{
    public const string TableTag = "creditrisk.outbox.table";

    private static readonly Meter Meter = new("CreditRisk.Outbox");

    public static readonly Counter<long> EventsRelayed =
        Meter.CreateCounter<long>("creditrisk.outbox.relayed", "{event}", "Outbox events published to Kafka and marked relayed");

    public static readonly Counter<long> RelayFailures =
        Meter.CreateCounter<long>("creditrisk.outbox.relay_failures", "{failure}", "Relay attempts that failed and will be retried");

    public static readonly Histogram<double> RelayLag =
        Meter.CreateHistogram<double>("creditrisk.outbox.relay_lag", "s", "Time from an event's commit to its broker acknowledgement");
}
