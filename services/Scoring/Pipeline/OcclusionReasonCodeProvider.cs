using CreditRisk.Contracts.Scoring.V1;
using CreditRisk.Scoring.Features;
using CreditRisk.Scoring.Models;

namespace CreditRisk.Scoring.Pipeline;

/// <summary>
/// Reason codes by occlusion: an input's contribution is the score minus the score with that input missing (the model
/// then imputes its training default), all rows scored in one pass. Model-agnostic and honest about what it measures
/// (the effect of knowing this value rather than the default), until the modeling library's explanation API replaces it.
/// </summary>
public sealed class OcclusionReasonCodeProvider : IReasonCodeProvider
{
    public IReadOnlyList<ReasonCode> Explain(LoadedModel model, AssembledFeatures features, double probability, int count)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(features);
        if (count <= 0)
        {
            return [];
        }
        var known = Enumerable.Range(0, features.ModelValues.Length).Where(i => features.ModelValues[i] is not null).ToList();
        if (known.Count == 0)
        {
            return [];
        }
        var row = (object?[])features.ModelValues.Clone();
        var occluded = new double[known.Count];
        for (var k = 0; k < known.Count; k++)
        {
            var position = known[k];
            row[position] = null;
            occluded[k] = model.ScoreVector(row);
            row[position] = features.ModelValues[position];
        }
        return [.. known.Select((position, k) => (position, contribution: probability - occluded[k]))
            .Where(item => item.contribution != 0)
            .OrderByDescending(item => Math.Abs(item.contribution))
            .Take(count)
            .Select(item => new ReasonCode
            {
                Feature = features.Served[item.position].Feature.Name,
                Description = Describe(model.Features.Resolved[item.position].Definition.Name),
                Contribution = item.contribution,
                Value = features.Served[item.position].Feature.Value,
            })];
    }

    /// <summary>"debt_to_income" as "Debt to income".</summary>
    private static string Describe(string name)
    {
        var words = name.Replace('_', ' ');
        return words.Length == 0 ? words : char.ToUpperInvariant(words[0]) + words[1..];
    }
}
