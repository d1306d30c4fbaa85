using CreditRisk.Contracts.Common.V1;
using CreditRisk.FeatureStore;
using CreditRisk.Scoring.Models;
using CreditRisk.Scoring.Telemetry;
using StackExchange.Redis;

namespace CreditRisk.Scoring.Features;

/// <summary>
/// Builds a model's vector for one request: the application features from <see cref="ApplicationFeatures.Compute"/> (the
/// function training's sets were computed with) and the customer features from the online store in one round trip
/// (in-process, through the feature store library). A NOT_FOUND or OUTSIDE_TTL feature is handed to the model as
/// missing, which is what historical retrieval gave training for the same situation, so the model applies the default it
/// declared; its status says so.
/// </summary>
public sealed class FeatureAssembler(IOnlineStore onlineStore, ScoringMetrics metrics)
{
    /// <summary>Throws <see cref="OnlineStoreUnavailableException"/> when Redis cannot be read, unless <paramref name="degradeOnUnavailable"/>.</summary>
    public async Task<AssembledFeatures> AssembleAsync(
        LoadedModel model, string customerId, string applicationId, LoanApplication application, bool degradeOnUnavailable, CancellationToken cancellationToken)
    {
        var features = model.Features;
        var count = features.Inputs.Count;
        var values = new object?[count];
        var served = new ServedFeature[count];
        var computed = ApplicationFeatures.Compute(application);
        foreach (var (position, name) in features.ApplicationInputs)
        {
            var value = computed[name];
            values[position] = ModelValues.Of(value, features.Inputs[position].Kind);
            served[position] = new ServedFeature
            {
                Feature = new Feature { Name = features.Resolved[position].Name, Value = value },
                Status = FeatureStatus.Present,
            };
        }
        var defaultsUsed = false;
        var degraded = false;
        if (features.OnlineFeatures.Count > 0)
        {
            IReadOnlyList<ServedFeature> online;
            using (var activity = ScoringTelemetry.Source.StartActivity("feature read"))
            {
                activity?.SetTag("creditrisk.features.count", features.OnlineFeatures.Count);
                try
                {
                    var rows = await onlineStore.ReadAsync(
                        [new EntityRow(new EntityKey { Entity = Entities.Customer.Name, Id = customerId }, new EntityKey { Entity = Entities.Application.Name, Id = applicationId })],
                        features.OnlineFeatures, cancellationToken);
                    online = rows[0].Features;
                }
                catch (Exception down) when (down is RedisException or TimeoutException)
                {
                    activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, down.Message);
                    if (!degradeOnUnavailable)
                    {
                        throw new OnlineStoreUnavailableException($"the online store is unavailable: {down.Message}", down);
                    }
                    online = [.. features.OnlineFeatures.Select(feature => new ServedFeature
                    {
                        Feature = new Feature { Name = feature.Name, Value = new FeatureValue() },
                        Status = FeatureStatus.Unavailable,
                    })];
                    degraded = true;
                }
            }
            var present = 0;
            for (var i = 0; i < online.Count; i++)
            {
                var position = features.OnlinePositions[i];
                var feature = online[i];
                if (feature.Status == FeatureStatus.Present)
                {
                    values[position] = ModelValues.Of(feature.Feature.Value, features.Inputs[position].Kind);
                    served[position] = feature;
                    present++;
                    continue;
                }
                // Missing, as historical retrieval has it: a stale value (OUTSIDE_TTL) is not what training would have seen.
                defaultsUsed = true;
                values[position] = null;
                served[position] = new ServedFeature
                {
                    Feature = new Feature { Name = feature.Feature.Name, Value = new FeatureValue(), EventTime = feature.Feature.EventTime },
                    Status = feature.Status,
                };
                metrics.FeatureStatus(feature.Status, 1);
            }
            metrics.FeatureStatus(FeatureStatus.Present, present + features.ApplicationInputs.Count);
        }
        else
        {
            metrics.FeatureStatus(FeatureStatus.Present, features.ApplicationInputs.Count);
        }
        return new AssembledFeatures(values, served, defaultsUsed, degraded);
    }
}
