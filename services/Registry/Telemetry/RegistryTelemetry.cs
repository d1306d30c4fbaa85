using System.Diagnostics.Metrics;

namespace CreditRisk.Registry.Telemetry;

/// <summary>The registry's own metrics (exported with the platform's "CreditRisk.*" meters).</summary>
public static class RegistryTelemetry
{
    public static readonly Meter Meter = new("CreditRisk.Registry");

    public static readonly Counter<long> OutboxEventsRelayed =
        Meter.CreateCounter<long>("creditrisk.registry.outbox.relayed", "{event}", "Outbox events published to Kafka and marked relayed");

    public static readonly Counter<long> OutboxRelayFailures =
        Meter.CreateCounter<long>("creditrisk.registry.outbox.relay_failures", "{failure}", "Relay attempts that failed and will be retried");

    public static readonly Histogram<double> OutboxRelayLag =
        Meter.CreateHistogram<double>("creditrisk.registry.outbox.relay_lag", "s", "Time from an event's commit to its broker acknowledgement");
}
