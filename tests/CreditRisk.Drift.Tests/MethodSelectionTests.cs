using CreditRisk.Drift.Columns;
using CreditRisk.Drift.Methods;

namespace CreditRisk.Drift.Tests;

/// <summary>Evidently's default method by reference size (1,000 vs 1,001), kind, and pooled unique count (5 vs 6, binary).</summary>
public sealed class MethodSelectionTests
{
    [Theory]
    [InlineData(1000, ColumnKind.Numeric, 6, DriftMethod.Ks)]
    [InlineData(1000, ColumnKind.Numeric, 5, DriftMethod.ChiSquare)]
    [InlineData(1000, ColumnKind.Numeric, 3, DriftMethod.ChiSquare)]
    [InlineData(1000, ColumnKind.Numeric, 2, DriftMethod.Z)]
    [InlineData(1000, ColumnKind.Categorical, 40, DriftMethod.ChiSquare)]
    [InlineData(1000, ColumnKind.Categorical, 2, DriftMethod.Z)]
    [InlineData(1001, ColumnKind.Numeric, 6, DriftMethod.Wasserstein)]
    [InlineData(1001, ColumnKind.Numeric, 5, DriftMethod.JensenShannon)]
    [InlineData(1001, ColumnKind.Numeric, 2, DriftMethod.JensenShannon)]
    [InlineData(1001, ColumnKind.Categorical, 40, DriftMethod.JensenShannon)]
    [InlineData(1001, ColumnKind.Categorical, 2, DriftMethod.JensenShannon)]
    public void Default_rule(long referenceRows, ColumnKind kind, int pooledUnique, DriftMethod expected) =>
        Assert.Equal(expected, DefaultMethodSelector.Select(referenceRows, kind, pooledUnique));

    [Fact]
    public void Unique_values_are_counted_over_reference_and_current_together()
    {
        // Five distinct values in each sample, six together: KS, not chi-square.
        var reference = ColumnSample.Numeric("x", Repeat([1, 2, 3, 4, 5], 100));
        var current = ColumnSample.Numeric("x", Repeat([2, 3, 4, 5, 6], 100));
        Assert.Equal(6, reference.PooledUniqueCount(current));
        Assert.Equal(DriftMethod.Ks, DriftDetector.CompareColumn(reference, current).Method);

        var sameFive = ColumnSample.Numeric("x", Repeat([1, 2, 3, 4, 5], 100));
        Assert.Equal(DriftMethod.ChiSquare, DriftDetector.CompareColumn(reference, sameFive).Method);
    }

    [Fact]
    public void Reference_size_counts_present_values_only()
    {
        // 1,001 rows of which one is missing: still a small reference.
        var values = Repeat([1, 2, 3, 4, 5, 6, 7], 143);
        Assert.Equal(1001, values.Length);
        values[0] = double.NaN;
        var reference = ColumnSample.Numeric("x", values);
        var current = ColumnSample.Numeric("x", Repeat([1, 2, 3, 4, 5, 6, 7], 10));
        var result = DriftDetector.CompareColumn(reference, current);
        Assert.Equal(DriftMethod.Ks, result.Method);
        Assert.Equal(1, result.ReferenceMissing);

        var large = ColumnSample.Numeric("x", Repeat([1, 2, 3, 4, 5, 6, 7], 143));
        Assert.Equal(DriftMethod.Wasserstein, DriftDetector.CompareColumn(large, current).Method);
    }

    [Fact]
    public void Binary_text_column_takes_the_z_test_and_a_shift_in_its_proportion_drifts()
    {
        var reference = ColumnSample.Categorical("flag", Enumerable.Repeat("yes", 300).Concat(Enumerable.Repeat("no", 700)));
        var same = ColumnSample.Categorical("flag", Enumerable.Repeat("yes", 150).Concat(Enumerable.Repeat("no", 350)));
        var shifted = ColumnSample.Categorical("flag", Enumerable.Repeat("yes", 250).Concat(Enumerable.Repeat("no", 250)));
        var stable = DriftDetector.CompareColumn(reference, same);
        Assert.Equal(DriftMethod.Z, stable.Method);
        Assert.Equal(1.0, stable.Value, 12);
        Assert.False(stable.Drifted);
        var drifted = DriftDetector.CompareColumn(reference, shifted);
        Assert.True(drifted.Value < 1e-10);
        Assert.True(drifted.Drifted);
    }

    [Fact]
    public void The_same_single_value_on_both_sides_has_not_drifted()
    {
        var result = DriftDetector.CompareColumn(ColumnSample.Categorical("c", ["a", "a"]), ColumnSample.Categorical("c", ["a", "a", "a"]));
        Assert.Equal(DriftMethod.Z, result.Method);
        Assert.Equal(1.0, result.Value);
    }

    [Fact]
    public void Override_changes_method_and_threshold_and_the_decision_follows_the_direction()
    {
        var reference = ColumnSample.Numeric("x", Repeat([1, 2, 3, 4, 5, 6, 7, 8], 200));
        var current = ColumnSample.Numeric("x", Repeat([1, 2, 3, 4, 5, 6, 7, 9], 200));
        var byDefault = DriftDetector.CompareColumn(reference, current);
        Assert.Equal(DriftMethod.Wasserstein, byDefault.Method);
        Assert.Equal(0.1, byDefault.Threshold);

        var options = new DriftOptions
        {
            Columns = new Dictionary<string, ColumnDriftOptions> { ["x"] = new(DriftMethod.Psi, 0.01) },
        };
        var psi = DriftDetector.CompareColumn(reference, current, options);
        Assert.Equal(DriftMethod.Psi, psi.Method);
        Assert.Equal(0.01, psi.Threshold);
        Assert.True(psi.Value >= 0.01);
        Assert.True(psi.Drifted);

        var lenient = options with { Columns = new Dictionary<string, ColumnDriftOptions> { ["x"] = new(DriftMethod.Psi, psi.Value + 1e-9) } };
        Assert.False(DriftDetector.CompareColumn(reference, current, lenient).Drifted);
    }

    [Fact]
    public void Statistical_tests_drift_below_the_threshold_and_distances_at_or_above_it()
    {
        Assert.True(DriftMethod.Ks.IsDrift(0.049, 0.05));
        Assert.False(DriftMethod.Ks.IsDrift(0.05, 0.05));
        Assert.True(DriftMethod.JensenShannon.IsDrift(0.1, 0.1));
        Assert.False(DriftMethod.JensenShannon.IsDrift(0.0999, 0.1));
        Assert.False(DriftMethod.Ks.IsDrift(double.NaN, 0.05));
    }

    [Fact]
    public void Numeric_only_methods_are_refused_for_text()
    {
        var options = new DriftOptions { Columns = new Dictionary<string, ColumnDriftOptions> { ["c"] = new(DriftMethod.Ks) } };
        var error = Assert.Throws<ArgumentException>(() =>
            DriftDetector.CompareColumn(ColumnSample.Categorical("c", ["a", "b"]), ColumnSample.Categorical("c", ["a"]), options));
        Assert.Contains("'c'", error.Message);
    }

    [Theory]
    [InlineData("ks", DriftMethod.Ks)]
    [InlineData("chisquare", DriftMethod.ChiSquare)]
    [InlineData("z", DriftMethod.Z)]
    [InlineData("wasserstein", DriftMethod.Wasserstein)]
    [InlineData("jensenshannon", DriftMethod.JensenShannon)]
    [InlineData("psi", DriftMethod.Psi)]
    [InlineData("kl", DriftMethod.Kl)]
    [InlineData("kl_div", DriftMethod.Kl)]
    public void Method_names_round_trip(string name, DriftMethod method)
    {
        Assert.True(DriftMethods.TryParse(name, out var parsed));
        Assert.Equal(method, parsed);
        if (name != "kl_div") Assert.Equal(name, method.Name());
    }

    internal static double[] Repeat(double[] pattern, int times)
    {
        var values = new double[pattern.Length * times];
        for (var i = 0; i < values.Length; i++) values[i] = pattern[i % pattern.Length];
        return values;
    }
}
