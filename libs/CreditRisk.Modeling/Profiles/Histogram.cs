namespace CreditRisk.Modeling.Profiles;

/// <summary>
/// Counts over bins: bin i is [Edges[i], Edges[i+1]), the last bin closed on the right. Equal-width between the
/// minimum and the maximum unless edges are given (a drift monitor bins current data on the reference's edges).
/// </summary>
public sealed record Histogram(IReadOnlyList<double> Edges, IReadOnlyList<long> Counts)
{
    public static Histogram EqualWidth(IReadOnlyList<double> values, int bins, double? min = null, double? max = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        var low = min ?? (values.Count == 0 ? 0 : values.Min());
        var high = max ?? (values.Count == 0 ? 1 : values.Max());
        if (high <= low)
        {
            // One value only: a bin of width one around it keeps the edges increasing.
            high = low + 1;
        }
        var edges = Enumerable.Range(0, bins + 1).Select(i => i == bins ? high : low + (high - low) * i / bins).ToArray();
        return WithEdges(values, edges);
    }

    public static Histogram WithEdges(IReadOnlyList<double> values, IReadOnlyList<double> edges)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(edges);
        var counts = new long[edges.Count - 1];
        foreach (var value in values)
        {
            if (value < edges[0] || value > edges[^1])
            {
                continue;
            }
            var bin = 0;
            while (bin < counts.Length - 1 && value >= edges[bin + 1])
            {
                bin++;
            }
            counts[bin]++;
        }
        return new Histogram(edges, counts);
    }
}
