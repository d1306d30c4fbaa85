using CreditRisk.Contracts.Common.V1;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Contracts.Scoring.V1;
using Google.Protobuf.WellKnownTypes;

namespace CreditRisk.Scoring.Pipeline;

/// <summary>The PredictionLogged event of a scored request, served or shadow.</summary>
public static class PredictionEvents
{
    public const string Source = "scoring";

    public static PredictionLogged Logged(
        ScoreRequest request, ScoreResponse response, bool served, long experimentRevision, double latencyMs, string traceId)
    {
        var logged = new PredictionLogged
        {
            // The prediction id is the event id: a republished batch is recognisably the same predictions.
            Envelope = new EventEnvelope
            {
                EventId = response.PredictionId,
                EntityKey = request.CustomerId,
                EventTime = response.ScoredTime,
                RecordedTime = response.ScoredTime,
                Source = Source,
                SchemaVersion = EventEnvelopeFactory.CurrentSchemaVersion,
            },
            PredictionId = response.PredictionId,
            RequestId = request.RequestId,
            ApplicationId = request.ApplicationId,
            CustomerId = request.CustomerId,
            ModelName = response.ModelName,
            ModelVersion = response.ModelVersion,
            Variant = response.Arm,
            Served = served,
            DefaultProbability = response.DefaultProbability,
            Decision = DecisionName(response.Decision),
            LatencyMs = latencyMs,
            RiskGrade = response.RiskGrade,
            TraceId = traceId,
            ExperimentRevision = experimentRevision,
            DefaultsUsed = response.DefaultsUsed,
            Degraded = response.Degraded,
        };
        foreach (var feature in response.Features)
        {
            logged.Features.Add(feature.Feature);
            logged.FeatureStatuses.Add(feature.Status);
        }
        foreach (var reason in response.ReasonCodes)
        {
            logged.ReasonCodes.Add(new PredictionReason { Feature = reason.Feature, Contribution = reason.Contribution });
        }
        return logged;
    }

    public static string DecisionName(Decision decision) => decision switch
    {
        Decision.Approve => "APPROVE",
        Decision.Review => "REVIEW",
        Decision.Decline => "DECLINE",
        _ => "UNSPECIFIED",
    };

    public static Timestamp Now(TimeProvider clock) => Timestamp.FromDateTimeOffset(clock.GetUtcNow());
}
