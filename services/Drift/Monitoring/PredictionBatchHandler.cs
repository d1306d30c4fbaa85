using CreditRisk.Contracts.Events.V1;
using CreditRisk.Drift.Service.Telemetry;
using CreditRisk.Messaging.Consuming;
using Microsoft.Extensions.Options;

namespace CreditRisk.Drift.Service.Monitoring;

/// <summary>
/// Consumes PredictionLogged in batches: a malformed prediction is dead-lettered with its reason, a shadow one is
/// skipped unless shadows are monitored, the rest are counted into their streams (a redelivered one changes nothing)
/// and the window closer is woken. Offsets are stored only after the batch's transaction committed.
/// </summary>
public sealed class PredictionBatchHandler(
    PredictionStore store, WindowSignal windows, IOptions<DriftMonitorOptions> options, TimeProvider clock, ILogger<PredictionBatchHandler> logger)
    : IEventBatchHandler<PredictionLogged>
{
    public async Task<IReadOnlyList<EventRejection>> HandleBatchAsync(IReadOnlyList<ConsumedEvent<PredictionLogged>> batch, CancellationToken cancellationToken)
    {
        var rejections = new List<EventRejection>();
        var accepted = new List<PredictionLogged>(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            var prediction = batch[i].Event;
            if (options.Value.Models.Count > 0 && prediction.ModelName.Length > 0 && !options.Value.Models.Contains(prediction.ModelName))
            {
                DriftTelemetry.PredictionsIgnored.Add(1, new KeyValuePair<string, object?>(DriftTelemetry.ReasonTag, "model_not_monitored"));
            }
            else if (Malformed(prediction) is { } reason)
            {
                rejections.Add(new EventRejection(i, reason));
                DriftTelemetry.PredictionsIgnored.Add(1, new KeyValuePair<string, object?>(DriftTelemetry.ReasonTag, "malformed"));
                logger.LogWarning("Prediction at {Topic}/{Partition}@{Offset} dead-lettered: {Reason}",
                    batch[i].Context.Topic, batch[i].Context.Partition, batch[i].Context.Offset, reason);
            }
            else if (!prediction.Served && !options.Value.MonitorShadow)
            {
                DriftTelemetry.PredictionsIgnored.Add(1, new KeyValuePair<string, object?>(DriftTelemetry.ReasonTag, "shadow_not_monitored"));
            }
            else
            {
                accepted.Add(prediction);
            }
        }
        var added = await store.AppendAsync(accepted, cancellationToken);
        if (accepted.Count > added)
        {
            DriftTelemetry.PredictionsIgnored.Add(accepted.Count - added, new KeyValuePair<string, object?>(DriftTelemetry.ReasonTag, "redelivered"));
        }
        if (added > 0)
        {
            DriftTelemetry.PredictionsIngested.Add(added);
            var now = clock.GetUtcNow().UtcDateTime;
            foreach (var prediction in accepted)
            {
                DriftTelemetry.ProcessingLag.Record(Math.Max(0, (now - PredictionStore.PredictedTime(prediction, now)).TotalSeconds));
            }
            windows.Notify();
        }
        return rejections;
    }

    /// <summary>Why the prediction cannot be counted, or null.</summary>
    public static string? Malformed(PredictionLogged prediction)
    {
        if (string.IsNullOrWhiteSpace(prediction.PredictionId)) return "prediction_id is empty";
        if (string.IsNullOrWhiteSpace(prediction.ModelName)) return "model_name is empty";
        if (prediction.ModelVersion <= 0) return $"model_version {prediction.ModelVersion} is not a registered version (1 or more)";
        if (!double.IsFinite(prediction.DefaultProbability) || prediction.DefaultProbability is < 0 or > 1)
            return $"default_probability {prediction.DefaultProbability} is not a probability";
        if (prediction.FeatureStatuses.Count > 0 && prediction.FeatureStatuses.Count != prediction.Features.Count)
            return $"{prediction.FeatureStatuses.Count} feature_statuses for {prediction.Features.Count} features";
        return null;
    }
}
