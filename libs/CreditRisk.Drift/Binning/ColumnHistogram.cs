namespace CreditRisk.Drift.Binning;

/// <summary>
/// Reference and current shares per bin, for a distance and for the report: either numeric bins
/// (<see cref="Edges"/> has one more entry than the shares) or categories (<see cref="Labels"/>, one per share).
/// </summary>
public sealed record ColumnHistogram(double[]? Edges, string[]? Labels, double[] ReferenceShares, double[] CurrentShares)
{
    public int BinCount => ReferenceShares.Length;
}
