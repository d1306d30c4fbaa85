using CreditRisk.Drift.Columns;
using CreditRisk.Modeling.Evaluation;
using CreditRisk.Modeling.Profiles;
using ModelingKind = CreditRisk.Modeling.Data.ColumnKind;

namespace CreditRisk.Drift.Service.Monitoring;

/// <summary>
/// A model version's reference profile prepared once for every window: each feature's sample (sorted, or counted), its
/// range and categories, the score sample, and the model's ROC AUC on the labelled sample rows.
/// </summary>
public sealed class ReferenceData
{
    public const string PredictionColumn = "default_probability";

    private ReferenceData(IReadOnlyList<ReferenceFeature> features, ColumnSample scores, double rocAuc, long size)
    {
        Features = features;
        Scores = scores;
        RocAuc = rocAuc;
        Size = size;
        IndexOf = features.Select((feature, index) => (feature.Name, index)).ToDictionary(pair => pair.Name, pair => pair.index, StringComparer.Ordinal);
    }

    public IReadOnlyList<ReferenceFeature> Features { get; }

    /// <summary>Each feature's position in <see cref="Features"/>, by name.</summary>
    public IReadOnlyDictionary<string, int> IndexOf { get; }

    public ColumnSample Scores { get; }

    /// <summary>NaN when the sample carries no labels of both classes.</summary>
    public double RocAuc { get; }

    /// <summary>Rows in the reference sample.</summary>
    public long Size { get; }

    public static ReferenceData From(ReferenceProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var sample = profile.Sample;
        var features = new List<ReferenceFeature>(profile.Features.Count);
        foreach (var feature in profile.Features)
        {
            if (feature.Kind == ModelingKind.Numeric)
            {
                var values = sample.Numeric.TryGetValue(feature.Name, out var column)
                    ? column.Select(value => value ?? double.NaN).ToArray()
                    : throw new InvalidDataException($"the profile's sample has no numeric column '{feature.Name}'");
                var quantiles = feature.Quantiles ?? [];
                var minimum = quantiles.FirstOrDefault(q => q.Probability == 0)?.Value ?? double.NegativeInfinity;
                var maximum = quantiles.FirstOrDefault(q => q.Probability == 1)?.Value ?? double.PositiveInfinity;
                features.Add(new ReferenceFeature(feature.Name, ColumnSample.Numeric(feature.Name, values), minimum, maximum, new HashSet<string>()));
            }
            else
            {
                var values = sample.Categorical.TryGetValue(feature.Name, out var column)
                    ? column
                    : throw new InvalidDataException($"the profile's sample has no categorical column '{feature.Name}'");
                var categories = new HashSet<string>(feature.Categories?.Keys ?? values.OfType<string>(), StringComparer.Ordinal);
                features.Add(new ReferenceFeature(feature.Name, ColumnSample.Categorical(feature.Name, values), double.NaN, double.NaN, categories));
            }
        }
        var rocAuc = double.NaN;
        if (sample.Labels is { } labels && labels.Count == sample.Scores.Count && labels.Contains(true) && labels.Contains(false))
        {
            rocAuc = RocAucScore.Compute(labels, sample.Scores);
        }
        return new ReferenceData(features, ColumnSample.Numeric(PredictionColumn, [.. sample.Scores]), rocAuc, sample.Count);
    }
}
