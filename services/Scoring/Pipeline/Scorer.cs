using CreditRisk.Contracts.Common.V1;
using CreditRisk.Contracts.Scoring.V1;
using CreditRisk.Modeling.Models;
using CreditRisk.Scoring.Features;
using CreditRisk.Scoring.Models;
using CreditRisk.Scoring.Options;
using CreditRisk.Scoring.Telemetry;
using Microsoft.Extensions.Options;

namespace CreditRisk.Scoring.Pipeline;

/// <summary>One model on one assembled vector: the probability, grade, decision and reason codes, as a response.</summary>
public sealed class Scorer(RiskGrades grades, DecisionPolicy decisions, IReasonCodeProvider reasons, IOptions<ScoringOptions> options, TimeProvider clock)
{
    private readonly int _reasonCount = options.Value.ReasonCodeCount;

    public ScoreResponse Score(ScoreRequest request, ArmModel arm, AssembledFeatures features)
    {
        ExplainedScore scored;
        using (var activity = ScoringTelemetry.Source.StartActivity("model"))
        {
            activity?.SetTag("creditrisk.model.name", arm.Model.Name);
            activity?.SetTag("creditrisk.model.version", arm.Model.Version);
            scored = reasons.Score(arm.Model, features, _reasonCount);
        }
        var probability = scored.Probability;
        var response = new ScoreResponse
        {
            RequestId = request.RequestId,
            PredictionId = Guid.CreateVersion7().ToString(),
            DefaultProbability = probability,
            Decision = decisions.Decide(probability, features.Degraded),
            ModelName = arm.Model.Name,
            ModelVersion = arm.Model.Version,
            Arm = arm.Name,
            RiskGrade = grades.Of(probability),
            DefaultsUsed = features.DefaultsUsed || features.Degraded,
            Degraded = features.Degraded,
            ScoredTime = PredictionEvents.Now(clock),
        };
        response.Features.Add(features.Served);
        response.ReasonCodes.Add(scored.ReasonCodes);
        for (var i = 0; i < features.Served.Length; i++)
        {
            if (features.Served[i].Status != FeatureStatus.Present)
            {
                response.AppliedDefaults.Add(Default(features.Served[i], arm.Model.Features.Inputs[i]));
            }
        }
        return response;
    }

    private static AppliedDefault Default(ServedFeature feature, ModelInput input)
    {
        var applied = new AppliedDefault { Feature = feature.Feature.Name, Status = feature.Status, Treatment = input.Default?.Treatment ?? "model" };
        if (input.Default is { Treatment: InputDefault.MeanTreatment, Value: { } mean })
        {
            applied.Value = mean;
        }
        return applied;
    }
}
