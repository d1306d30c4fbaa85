using CreditRisk.Drift.Columns;

namespace CreditRisk.Drift.Binning;

/// <summary>
/// Evidently's get_binned_data: a numeric column whose reference has more than 20 distinct values is cut into
/// Sturges bins over reference and current together; any other column is compared category by category.
/// Shares are counts over the sample size. With zero filling (PSI, KL), an empty bin takes 0.0001, or the smallest
/// non-empty share / 10⁶ when that share is itself ≤ 0.0001, so that logarithms stay finite.
/// </summary>
public static class EvidentlyBinning
{
    /// <summary>Evidently bins numerically only above this many distinct reference values.</summary>
    public const int NumericBinningMinUnique = 20;

    public const double EmptyShare = 0.0001;

    public static ColumnHistogram Shares(ColumnSample reference, ColumnSample current, bool fillZeroes)
    {
        var histogram = reference.Kind == ColumnKind.Numeric && reference.UniqueCount() > NumericBinningMinUnique
            ? Numeric(reference, current)
            : Categories(reference, current);
        if (!fillZeroes) return histogram;
        return histogram with { ReferenceShares = FillZeroes(histogram.ReferenceShares), CurrentShares = FillZeroes(histogram.CurrentShares) };
    }

    /// <summary>Sturges bins over both samples (numeric columns only).</summary>
    public static ColumnHistogram Numeric(ColumnSample reference, ColumnSample current)
    {
        var edges = HistogramBins.SturgesEdges(reference.SortedValues, current.SortedValues);
        return new ColumnHistogram(edges, null,
            ToShares(HistogramBins.Counts(reference.SortedValues, edges), reference.Count),
            ToShares(HistogramBins.Counts(current.SortedValues, edges), current.Count));
    }

    /// <summary>One bin per category present in either sample.</summary>
    public static ColumnHistogram Categories(ColumnSample reference, ColumnSample current)
    {
        var table = CategoryTable.Build(reference, current);
        return new ColumnHistogram(null, table.Labels, ToShares(table.Reference, reference.Count), ToShares(table.Current, current.Count));
    }

    public static double[] FillZeroes(double[] shares)
    {
        var smallest = double.PositiveInfinity;
        foreach (var share in shares)
            if (share != 0 && share < smallest) smallest = share;
        if (double.IsPositiveInfinity(smallest)) return shares;
        var fill = smallest <= EmptyShare ? smallest / 1e6 : EmptyShare;
        var filled = (double[])shares.Clone();
        for (var i = 0; i < filled.Length; i++)
            if (filled[i] == 0) filled[i] = fill;
        return filled;
    }

    private static double[] ToShares(long[] counts, long total)
    {
        var shares = new double[counts.Length];
        for (var i = 0; i < counts.Length; i++) shares[i] = (double)counts[i] / total;
        return shares;
    }

    private static double[] ToShares(double[] counts, long total)
    {
        var shares = new double[counts.Length];
        for (var i = 0; i < counts.Length; i++) shares[i] = counts[i] / total;
        return shares;
    }
}
