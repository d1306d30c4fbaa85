using CreditRisk.Modeling.Data;
using CreditRisk.Modeling.Profiles;

namespace CreditRisk.Modeling.Tests;

public sealed class ReferenceProfileTests
{
    private static LabelledDataset Dataset(int rows) =>
        LabelledDataset.FromTable(TabularTable.Read(new StringReader(SyntheticCreditData.Csv(rows, seed: 4))), "Status", "bad");

    /// <summary>The textbook definition, written out once more: position p(n-1) between the order statistics.</summary>
    private static double Straightforward(List<double> values, double p)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        var h = (sorted.Length - 1) * p;
        var lo = (int)Math.Floor(h);
        var hi = (int)Math.Ceiling(h);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    [Fact]
    public void Quantiles_match_linear_interpolation_on_known_values()
    {
        double[] sorted = [1, 2, 3, 4];

        Assert.Equal(1, Quantiles.Of(sorted, 0));
        Assert.Equal(2.5, Quantiles.Of(sorted, 0.5));
        Assert.Equal(1.3, Quantiles.Of(sorted, 0.1), 12);   // numpy.quantile([1,2,3,4], 0.1) = 1.3
        Assert.Equal(4, Quantiles.Of(sorted, 1));
    }

    [Fact]
    public void The_profile_holds_each_features_distribution_the_scores_the_labels_and_a_bounded_seeded_sample()
    {
        var dataset = Dataset(700);
        var scores = Enumerable.Range(0, dataset.Count).Select(i => (i % 100) / 100.0).ToList();

        var profile = ReferenceProfileBuilder.Build(dataset, scores, seed: 3, sampleSize: 250, featureService: "svc", featureServiceVersion: 2);
        var roundTripped = ReferenceProfile.FromJson(profile.ToJsonBytes());

        var income = roundTripped.Feature("Income");
        var present = dataset.Values.Select(row => row[1]).OfType<double>().ToList();
        Assert.Equal(700, income.Count);
        Assert.Equal(700 - present.Count, income.Missing);
        Assert.Equal((700.0 - present.Count) / 700, income.MissingShare, 12);
        Assert.Equal(present.Distinct().Count(), income.UniqueCount);
        Assert.Equal(Quantiles.Standard, income.Quantiles!.Select(q => q.Probability));
        Assert.All(income.Quantiles!, q => Assert.Equal(Straightforward(present, q.Probability), q.Value, 9));
        Assert.Equal(present.Count, income.Histogram!.Counts.Sum());
        Assert.Equal(present.Min(), income.Histogram.Edges[0]);
        Assert.Equal(present.Max(), income.Histogram.Edges[^1]);
        Assert.Equal(present.Average(), income.Mean!.Value, 9);

        var home = roundTripped.Feature("Home");
        Assert.Equal(ColumnKind.Categorical, home.Kind);
        Assert.Equal(dataset.Values.GroupBy(row => (string)row[2]!).ToDictionary(g => g.Key, g => (long)g.Count()), home.Categories);
        Assert.Equal(SyntheticCreditData.Homes.Length, home.UniqueCount);

        Assert.Equal(Straightforward(scores, 0.5), roundTripped.Scores.Quantiles.Single(q => q.Probability == 0.5).Value, 12);
        Assert.Equal(700, roundTripped.Scores.Histogram.Counts.Sum());
        Assert.Equal(dataset.PositiveCount, roundTripped.Labels!.Positives);
        Assert.Equal(700 - dataset.PositiveCount, roundTripped.Labels.Negatives);
        Assert.Equal("svc", roundTripped.FeatureService);

        Assert.Equal(250, roundTripped.Sample.Count);
        Assert.Equal(250, roundTripped.Sample.Numeric["Income"].Count);
        Assert.Equal(250, roundTripped.Sample.Categorical["Home"].Count);
        Assert.Equal(700, roundTripped.Sample.PopulationRows);
        // Seeded: the same rows again; another seed, other rows.
        var again = ReferenceProfileBuilder.Build(dataset, scores, seed: 3, sampleSize: 250);
        var other = ReferenceProfileBuilder.Build(dataset, scores, seed: 4, sampleSize: 250);
        Assert.Equal(profile.Sample.Scores, again.Sample.Scores);
        Assert.Equal(profile.Sample.Numeric["Age"], again.Sample.Numeric["Age"]);
        Assert.NotEqual(profile.Sample.Numeric["Age"], other.Sample.Numeric["Age"]);
        // Fewer rows than the bound: all of them, in order.
        Assert.Equal(scores, ReferenceProfileBuilder.Build(dataset, scores, sampleSize: 5_000).Sample.Scores);
    }

    [Fact]
    public void A_profile_of_an_unknown_format_version_is_refused()
    {
        var dataset = Dataset(50);
        var json = System.Text.Encoding.UTF8.GetString(ReferenceProfileBuilder.Build(dataset, Enumerable.Repeat(0.5, 50).ToList()).ToJsonBytes())
            .Replace("\"format_version\":1", "\"format_version\":99", StringComparison.Ordinal);

        var refused = Assert.Throws<InvalidDataException>(() => ReferenceProfile.FromJson(System.Text.Encoding.UTF8.GetBytes(json)));
        Assert.Contains("format 99", refused.Message, StringComparison.Ordinal);
    }
}
