namespace CreditRisk.Drift.Binning;

/// <summary>
/// numpy's histogram_bin_edges(values, bins='sturges') and histogram(values, edges) on sorted data:
/// ceil(range / (range / (log2 N + 1))) equal bins between the pooled minimum and maximum (linspace edges),
/// each bin [e_i, e_{i+1}) except the last, which also holds its upper edge.
/// </summary>
public static class HistogramBins
{
    /// <summary>Sturges' edges for the pooled samples (both sorted ascending, not both empty).</summary>
    public static double[] SturgesEdges(ReadOnlySpan<double> sorted1, ReadOnlySpan<double> sorted2)
    {
        var count = sorted1.Length + sorted2.Length;
        if (count == 0) throw new ArgumentException("No values to bin.");
        var first = Min(sorted1, sorted2);
        var last = Max(sorted1, sorted2);
        if (first == last)
        {
            first -= 0.5;
            last += 0.5;
        }
        var range = last - first;
        var width = range / (Math.Log2(count) + 1.0);
        var bins = width > 0 ? (int)Math.Ceiling(range / width) : 1;
        return Linspace(first, last, bins + 1);
    }

    /// <summary>Counts per bin for sorted values; values outside the edges are not counted (as numpy).</summary>
    public static long[] Counts(ReadOnlySpan<double> sorted, ReadOnlySpan<double> edges)
    {
        var bins = edges.Length - 1;
        var counts = new long[bins];
        var previous = LowerBound(sorted, edges[0]);
        for (var i = 0; i < bins; i++)
        {
            var upper = i == bins - 1 ? UpperBound(sorted, edges[i + 1]) : LowerBound(sorted, edges[i + 1]);
            counts[i] = upper - previous;
            previous = upper;
        }
        return counts;
    }

    // numpy.linspace: start + i·step, the last edge set to stop exactly.
    private static double[] Linspace(double start, double stop, int count)
    {
        var edges = new double[count];
        var step = (stop - start) / (count - 1);
        for (var i = 0; i < count; i++) edges[i] = i * step + start;
        edges[count - 1] = stop;
        return edges;
    }

    private static double Min(ReadOnlySpan<double> a, ReadOnlySpan<double> b) =>
        a.Length == 0 ? b[0] : b.Length == 0 ? a[0] : Math.Min(a[0], b[0]);

    private static double Max(ReadOnlySpan<double> a, ReadOnlySpan<double> b) =>
        a.Length == 0 ? b[^1] : b.Length == 0 ? a[^1] : Math.Max(a[^1], b[^1]);

    /// <summary>The first index whose value is ≥ x (searchsorted 'left').</summary>
    public static int LowerBound(ReadOnlySpan<double> sorted, double x)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] < x) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /// <summary>The first index whose value is &gt; x (searchsorted 'right').</summary>
    public static int UpperBound(ReadOnlySpan<double> sorted, double x)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] <= x) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
