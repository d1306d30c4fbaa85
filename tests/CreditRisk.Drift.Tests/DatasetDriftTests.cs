using CreditRisk.Drift.Binning;
using CreditRisk.Drift.Columns;
using CreditRisk.Drift.Methods;

namespace CreditRisk.Drift.Tests;

public sealed class DatasetDriftTests
{
    private static ColumnDriftResult Column(string name, bool drifted) =>
        new(name, ColumnKind.Numeric, DriftMethod.Ks, drifted ? 0.01 : 0.5, 0.05, drifted, 10, 10, 0, 0, 10, new ColumnHistogram(null, [], [], []));

    [Fact]
    public void Dataset_drifts_when_the_drifted_share_reaches_the_threshold()
    {
        var half = DriftDetector.Summarize([Column("a", true), Column("b", false)]);
        Assert.Equal(0.5, half.DriftShare);
        Assert.True(half.DatasetDrift);

        var third = DriftDetector.Summarize([Column("a", true), Column("b", false), Column("c", false)]);
        Assert.False(third.DatasetDrift);
        Assert.True(DriftDetector.Summarize(third.Columns, 0.3).DatasetDrift);
        Assert.Equal(1, third.DriftedCount);
    }

    [Fact]
    public void No_columns_is_no_drift() => Assert.False(DriftDetector.Summarize([]).DatasetDrift);

    [Fact]
    public void Compare_matches_columns_by_name_and_detects_a_shift_in_one_of_two()
    {
        var reference = new[]
        {
            ColumnSample.Numeric("stable", new SampleSpec(1, 500, 0, 1, 4, 0).Generate()),
            ColumnSample.Numeric("shifted", new SampleSpec(2, 500, 0, 1, 4, 0).Generate()),
            ColumnSample.Numeric("only_reference", new SampleSpec(3, 500, 0, 1, 4, 0).Generate()),
        };
        var current = new[]
        {
            ColumnSample.Numeric("shifted", new SampleSpec(12, 400, 0.5, 1, 4, 0).Generate()),
            ColumnSample.Numeric("stable", new SampleSpec(11, 400, 0, 1, 4, 0).Generate()),
        };
        var result = DriftDetector.Compare(reference, current, new DriftOptions { DriftShareThreshold = 0.6 });
        Assert.Equal(["stable", "shifted"], result.Columns.Select(c => c.Column));
        Assert.All(result.Columns, c => Assert.Equal(DriftMethod.Ks, c.Method));
        Assert.False(result.Columns[0].Drifted);
        Assert.True(result.Columns[1].Drifted);
        Assert.Equal(0.5, result.DriftShare);
        Assert.False(result.DatasetDrift);
    }

    [Fact]
    public void A_column_empty_on_one_side_is_not_tested_and_not_drifted()
    {
        var result = DriftDetector.CompareColumn(ColumnSample.Numeric("x", [1, 2, 3]), ColumnSample.Numeric("x", [double.NaN, double.NaN]));
        Assert.False(result.Tested);
        Assert.False(result.Drifted);
        Assert.Equal(2, result.CurrentMissing);
    }

    [Fact]
    public void Empty_bins_are_filled_as_evidently_does()
    {
        Assert.Equal([0.5, 0.0001, 0.5], EvidentlyBinning.FillZeroes([0.5, 0, 0.5]));
        Assert.Equal([0.99995, 0.00005, 0.00005 / 1e6], EvidentlyBinning.FillZeroes([0.99995, 0.00005, 0]));
    }

    [Fact]
    public void Numeric_columns_bin_by_sturges_only_above_twenty_reference_values()
    {
        var twenty = ColumnSample.Numeric("x", MethodSelectionTests.Repeat(Enumerable.Range(1, 20).Select(i => (double)i).ToArray(), 5));
        var categories = EvidentlyBinning.Shares(twenty, twenty, fillZeroes: false);
        Assert.Null(categories.Edges);
        Assert.Equal(20, categories.BinCount);

        var twentyOne = ColumnSample.Numeric("x", MethodSelectionTests.Repeat(Enumerable.Range(1, 21).Select(i => (double)i).ToArray(), 5));
        var bins = EvidentlyBinning.Shares(twentyOne, twentyOne, fillZeroes: false);
        Assert.NotNull(bins.Edges);
        // 210 pooled values: ceil(log2 210 + 1) = 9 Sturges bins.
        Assert.Equal(9, bins.BinCount);
        Assert.Equal(1.0, bins.ReferenceShares.Sum(), 12);
    }
}
