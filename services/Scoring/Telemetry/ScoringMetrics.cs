using System.Diagnostics;
using System.Diagnostics.Metrics;
using CreditRisk.Contracts.Common.V1;
using CreditRisk.Scoring.Models;

namespace CreditRisk.Scoring.Telemetry;

/// <summary>
/// The scoring service's metrics: requests by outcome and arm, latency, loaded version per arm, model loads and failed
/// loads, feature statuses, and the prediction log's buffer and shadow queue.
/// </summary>
public sealed class ScoringMetrics
{
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _loadFailures;
    private readonly Counter<long> _swaps;
    private readonly Counter<long> _featureStatuses;
    private readonly Counter<long> _logWaits;
    private readonly Counter<long> _logRejected;
    private readonly Counter<long> _logPublished;
    private readonly Counter<long> _logPublishFailures;
    private readonly Counter<long> _shadowScored;
    private readonly Counter<long> _shadowSkipped;
    private readonly Counter<long> _idempotentReplays;
    private readonly Counter<long> _servingEvents;

    public ScoringMetrics(IMeterFactory meters, ServedModels served)
    {
        var meter = meters.Create(ScoringTelemetry.Name);
        _requests = meter.CreateCounter<long>("creditrisk.scoring.requests", description: "Score requests (one per batch item) by outcome, model and arm");
        _duration = meter.CreateHistogram<double>("creditrisk.scoring.duration", unit: "ms", description: "Time to score one request, features and log included",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 25, 50, 100, 250, 1000] });
        _loadFailures = meter.CreateCounter<long>("creditrisk.scoring.model_load_failures", description: "Model versions that could not be loaded, by model, arm and reason");
        _swaps = meter.CreateCounter<long>("creditrisk.scoring.model_swaps", description: "Serving states swapped in, by model and trigger");
        _featureStatuses = meter.CreateCounter<long>("creditrisk.scoring.feature_statuses", description: "Features served by status (present, not found, outside TTL, unavailable)");
        _logWaits = meter.CreateCounter<long>("creditrisk.scoring.prediction_log.waits", description: "Requests that waited for room in a full prediction log buffer");
        _logRejected = meter.CreateCounter<long>("creditrisk.scoring.prediction_log.rejected", description: "Requests failed UNAVAILABLE because the prediction log stayed full");
        _logPublished = meter.CreateCounter<long>("creditrisk.scoring.prediction_log.published", description: "Predictions published to Kafka");
        _logPublishFailures = meter.CreateCounter<long>("creditrisk.scoring.prediction_log.publish_failures", description: "Batches whose publishing failed (retried, never dropped)");
        _shadowScored = meter.CreateCounter<long>("creditrisk.scoring.shadow.scored", description: "Shadow predictions scored and logged");
        _shadowSkipped = meter.CreateCounter<long>("creditrisk.scoring.shadow.skipped", description: "Shadow predictions not made because the shadow queue was full or they failed");
        _idempotentReplays = meter.CreateCounter<long>("creditrisk.scoring.idempotent_replays", description: "Retried request ids answered with their first prediction");
        _servingEvents = meter.CreateCounter<long>("creditrisk.scoring.serving_events", description: "Promotions and experiment changes received for a served model, by type");
        meter.CreateObservableGauge("creditrisk.scoring.model_version", () => served.Current.Values.SelectMany(state => state.Arms.Select(arm =>
            new Measurement<long>(arm.Model.Version,
                new KeyValuePair<string, object?>("model", state.ModelName),
                new KeyValuePair<string, object?>("arm", arm.Name),
                new KeyValuePair<string, object?>("shadow", arm.Shadow)))),
            description: "The model version each arm serves");
        Meter = meter;
    }

    public Meter Meter { get; }

    public void Request(string outcome, string model, string arm, double milliseconds)
    {
        var tags = new TagList { { "outcome", outcome }, { "model", model }, { "arm", arm } };
        _requests.Add(1, tags);
        _duration.Record(milliseconds, tags);
    }

    public void LoadFailed(string model, string arm, string reason) =>
        _loadFailures.Add(1, new TagList { { "model", model }, { "arm", arm }, { "reason", reason } });

    public void Swapped(string model, string trigger) => _swaps.Add(1, new TagList { { "model", model }, { "trigger", trigger } });

    public void FeatureStatus(FeatureStatus status, int count) =>
        _featureStatuses.Add(count, new KeyValuePair<string, object?>("status", StatusName(status)));

    public void LogWaited() => _logWaits.Add(1);

    public void LogRejected() => _logRejected.Add(1);

    public void LogPublished(int count) => _logPublished.Add(count);

    public void LogPublishFailed() => _logPublishFailures.Add(1);

    public void ShadowScored() => _shadowScored.Add(1);

    public void ShadowSkipped(string reason) => _shadowSkipped.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void IdempotentReplay() => _idempotentReplays.Add(1);

    public void ServingEvent(string model, string type) => _servingEvents.Add(1, new TagList { { "model", model }, { "type", type } });

    public static string StatusName(FeatureStatus status) => status switch
    {
        Contracts.Common.V1.FeatureStatus.Present => "present",
        Contracts.Common.V1.FeatureStatus.NotFound => "not_found",
        Contracts.Common.V1.FeatureStatus.OutsideTtl => "outside_ttl",
        Contracts.Common.V1.FeatureStatus.Unavailable => "unavailable",
        _ => "unspecified",
    };
}
