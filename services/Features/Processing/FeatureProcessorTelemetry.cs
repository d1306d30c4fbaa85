using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CreditRisk.Features.Processing;

/// <summary>Spans and metrics of the processor ("CreditRisk.*" is exported by ServiceDefaults).</summary>
public static class FeatureProcessorTelemetry
{
    public const string Name = "CreditRisk.Features";

    public static readonly ActivitySource ActivitySource = new(Name);

    private static readonly Meter Meter = new(Name);

    public static readonly Counter<long> EventsApplied = Meter.CreateCounter<long>(
        "creditrisk.features.events.applied", "{event}", "Raw events applied to the windows (first delivery only).");

    public static readonly Counter<long> EventsAlreadyApplied = Meter.CreateCounter<long>(
        "creditrisk.features.events.duplicate", "{event}", "Raw events skipped as already applied: below their partition's checkpoint (redelivery, replay) or an event id the windows hold.");

    public static readonly Counter<long> LateEvents = Meter.CreateCounter<long>(
        "creditrisk.features.events.late", "{event}", "Raw events later than the allowed lateness, routed to the late topic.");

    public static readonly Counter<long> RowsWritten = Meter.CreateCounter<long>(
        "creditrisk.features.rows.written", "{row}", "Feature rows appended to the offline store.");

    public static readonly Counter<long> VectorsWritten = Meter.CreateCounter<long>(
        "creditrisk.features.vectors.online", "{vector}", "Feature vectors written to the online store.");

    public static readonly Histogram<double> BatchDuration = Meter.CreateHistogram<double>(
        "creditrisk.features.batch.duration", "s", "Time from a batch's last record to its effects being durable.");

    public static readonly Counter<long> BatchRetries = Meter.CreateCounter<long>(
        "creditrisk.features.batch.retries", "{retry}", "Batch writes, checkpoints and checkpoint reads retried after a store or broker failure.");

    public static readonly Histogram<double> CheckpointDuration = Meter.CreateHistogram<double>(
        "creditrisk.features.checkpoint.duration", "s", "Time to store the changed customer states and source offsets.");

    public static readonly Counter<long> Rewinds = Meter.CreateCounter<long>(
        "creditrisk.features.rewinds", "{rewind}", "Returns to the last checkpoint (another writer changed a state, or applying failed).");

    public const string TopicTag = "messaging.destination.name";
    public const string ViewTag = "creditrisk.feature_view";
}
