using CreditRisk.Modeling.Data;

namespace CreditRisk.Modeling.Profiles;

/// <summary>Builds a <see cref="ReferenceProfile"/> from a dataset and the model's scores of its rows.</summary>
public static class ReferenceProfileBuilder
{
    public const int DefaultSampleSize = 5_000;
    public const int HistogramBins = 10;

    /// <param name="types">Each feature's value type as the feature service declares it (optional).</param>
    public static ReferenceProfile Build(
        LabelledDataset dataset,
        IReadOnlyList<double> scores,
        int seed = 42,
        int sampleSize = DefaultSampleSize,
        string? featureService = null,
        int? featureServiceVersion = null,
        IReadOnlyDictionary<string, string>? types = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.Count != dataset.Count)
        {
            throw new ArgumentException($"{scores.Count} scores for {dataset.Count} rows", nameof(scores));
        }
        var features = dataset.Features.Select((feature, f) => Profile(feature, dataset.Values.Select(row => row[f]).ToList(), types)).ToList();

        var sortedScores = scores.Order().ToList();
        var scoreProfile = new ScoreProfile(
            scores.Count, scores.Count == 0 ? 0 : scores.Average(), Quantiles.Of(sortedScores, Quantiles.Standard), Histogram.EqualWidth(scores, 20, 0, 1));
        var positives = dataset.Labels.LongCount(label => label);
        var labels = new LabelBalance(positives, dataset.Count - positives, dataset.Count == 0 ? 0 : (double)positives / dataset.Count);

        return new ReferenceProfile(
            ReferenceProfile.CurrentFormatVersion, featureService, featureServiceVersion, dataset.Count, features, scoreProfile, labels,
            Sample(dataset, scores, seed, sampleSize));
    }

    private static FeatureProfile Profile(FeatureColumn feature, IReadOnlyList<object?> values, IReadOnlyDictionary<string, string>? types)
    {
        var type = types?.GetValueOrDefault(feature.Name) ?? (feature.Kind == ColumnKind.Numeric ? "double" : "string");
        var count = values.Count;
        if (feature.Kind == ColumnKind.Numeric)
        {
            var present = values.Select(ToNumber).OfType<double>().Order().ToList();
            var missing = count - present.Count;
            if (present.Count == 0)
            {
                return new FeatureProfile(feature.Name, feature.Kind, type, count, missing, Share(missing, count), 0);
            }
            var mean = present.Average();
            var deviation = Math.Sqrt(present.Sum(value => (value - mean) * (value - mean)) / present.Count);
            return new FeatureProfile(
                feature.Name, feature.Kind, type, count, missing, Share(missing, count), present.Distinct().LongCount(),
                Quantiles.Of(present, Quantiles.Standard), Histogram.EqualWidth(present, HistogramBins), mean, deviation);
        }
        var texts = values.Select(ToText).ToList();
        var categories = texts.OfType<string>().GroupBy(text => text, StringComparer.Ordinal)
            .OrderBy(group => group.Key, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.LongCount(), StringComparer.Ordinal);
        var missingTexts = texts.Count(text => text is null);
        return new FeatureProfile(
            feature.Name, feature.Kind, type, count, missingTexts, Share(missingTexts, count), categories.Count, Categories: categories);
    }

    private static ReferenceSample Sample(LabelledDataset dataset, IReadOnlyList<double> scores, int seed, int sampleSize)
    {
        var indexes = Enumerable.Range(0, dataset.Count).ToArray();
        if (indexes.Length > sampleSize)
        {
            new Random(seed).Shuffle(indexes);
            indexes = indexes.Take(sampleSize).Order().ToArray();
        }
        var numeric = new Dictionary<string, IReadOnlyList<double?>>(StringComparer.Ordinal);
        var categorical = new Dictionary<string, IReadOnlyList<string?>>(StringComparer.Ordinal);
        for (var f = 0; f < dataset.Features.Count; f++)
        {
            var feature = dataset.Features[f];
            if (feature.Kind == ColumnKind.Numeric)
            {
                numeric[feature.Name] = indexes.Select(i => ToNumber(dataset.Values[i][f])).ToList();
            }
            else
            {
                categorical[feature.Name] = indexes.Select(i => ToText(dataset.Values[i][f])).ToList();
            }
        }
        return new ReferenceSample(seed, dataset.Count, numeric, categorical, indexes.Select(i => scores[i]).ToList(), indexes.Select(i => dataset.Labels[i]).ToList());
    }

    private static double Share(long part, long whole) => whole == 0 ? 0 : (double)part / whole;

    internal static double? ToNumber(object? value) => value switch
    {
        null => null,
        double d when double.IsFinite(d) => d,
        float f when float.IsFinite(f) => f,
        int i => i,
        long l => l,
        bool b => b ? 1 : 0,
        string text when NumericParsing.TryParse(text, out var parsed) => parsed,
        _ => null,
    };

    internal static string? ToText(object? value) => value switch
    {
        null => null,
        string text when string.IsNullOrWhiteSpace(text) => null,
        string text => text.Trim(),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
    };
}
