using CreditRisk.Contracts.Scoring.V1;
using CreditRisk.Scoring.Features;
using CreditRisk.Scoring.Models;

namespace CreditRisk.Scoring.Pipeline;

/// <summary>
/// Reason codes from the modeling library's <see cref="CreditRisk.Modeling.Explanations.ModelExplainer"/> (ML.NET's
/// feature contributions, walked over the trees for FastTree and LightGBM): one pass gives the probability and each input's contribution in log-odds, named
/// by its feature definition's description. With no reason codes asked for, the model is scored without them.
/// </summary>
public sealed class ModelExplainerReasonCodeProvider : IReasonCodeProvider
{
    public ExplainedScore Score(LoadedModel model, AssembledFeatures features, int count)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(features);
        if (count <= 0)
        {
            return new ExplainedScore(model.ScoreVector(features.ModelValues), []);
        }
        var explanation = model.Explainer.Explain(features.ModelValues, count);
        return new ExplainedScore(explanation.Probability, [.. explanation.Contributions.Select(contribution => new ReasonCode
        {
            Feature = contribution.Input,
            Description = contribution.ReadableName,
            Contribution = contribution.Contribution,
            Value = features.Served[contribution.InputIndex].Feature.Value,
        })]);
    }
}
