using System.Runtime.InteropServices;

namespace CreditRisk.Drift.Columns;

/// <summary>
/// One column of one dataset, prepared once for every test: numeric values sorted (NaN dropped as missing),
/// or category counts (null or empty dropped as missing).
/// </summary>
public sealed class ColumnSample
{
    private ColumnSample(string name, ColumnKind kind, double[] sortedValues, Dictionary<string, long> categoryCounts, long missing)
    {
        Name = name;
        Kind = kind;
        SortedValues = sortedValues;
        CategoryCounts = categoryCounts;
        Missing = missing;
        Count = kind == ColumnKind.Numeric ? sortedValues.Length : categoryCounts.Values.Sum();
    }

    public string Name { get; }
    public ColumnKind Kind { get; }

    /// <summary>The non-missing values ascending; empty for a categorical column.</summary>
    public double[] SortedValues { get; }

    /// <summary>Occurrences per category; empty for a numeric column.</summary>
    public IReadOnlyDictionary<string, long> CategoryCounts { get; }

    /// <summary>Values present (the tests' sample size).</summary>
    public long Count { get; }

    /// <summary>Values absent: NaN, null or empty; excluded from every test.</summary>
    public long Missing { get; }

    /// <summary>Takes ownership of <paramref name="values"/> and sorts it in place (NaN and infinities are missing).</summary>
    public static ColumnSample Numeric(string name, double[] values)
    {
        var kept = 0;
        for (var i = 0; i < values.Length; i++)
            if (double.IsFinite(values[i])) values[kept++] = values[i];
        var missing = values.Length - kept;
        var sorted = kept == values.Length ? values : values[..kept];
        Array.Sort(sorted);
        return new ColumnSample(name, ColumnKind.Numeric, sorted, [], missing);
    }

    public static ColumnSample Categorical(string name, IEnumerable<string?> values)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        long missing = 0;
        foreach (var value in values)
        {
            if (string.IsNullOrEmpty(value))
            {
                missing++;
                continue;
            }
            CollectionsMarshal.GetValueRefOrAddDefault(counts, value, out _)++;
        }
        return new ColumnSample(name, ColumnKind.Categorical, [], counts, missing);
    }

    /// <summary>Distinct non-missing values.</summary>
    public int UniqueCount() => Kind == ColumnKind.Numeric ? DistinctSorted(SortedValues) : CategoryCounts.Count;

    /// <summary>Distinct non-missing values over this sample and <paramref name="other"/> together (pandas' nunique of the concatenation).</summary>
    public int PooledUniqueCount(ColumnSample other)
    {
        if (Kind != other.Kind) throw new ArgumentException($"Column '{Name}' is {Kind} in one dataset and {other.Kind} in the other.");
        if (Kind == ColumnKind.Categorical)
        {
            var pooled = CategoryCounts.Count;
            foreach (var key in other.CategoryCounts.Keys)
                if (!CategoryCounts.ContainsKey(key)) pooled++;
            return pooled;
        }
        var a = SortedValues;
        var b = other.SortedValues;
        int i = 0, j = 0, distinct = 0;
        while (i < a.Length || j < b.Length)
        {
            var x = j >= b.Length || (i < a.Length && a[i] <= b[j]) ? a[i] : b[j];
            while (i < a.Length && a[i] <= x) i++;
            while (j < b.Length && b[j] <= x) j++;
            distinct++;
        }
        return distinct;
    }

    private static int DistinctSorted(double[] sorted)
    {
        if (sorted.Length == 0) return 0;
        var distinct = 1;
        for (var i = 1; i < sorted.Length; i++)
            if (sorted[i] != sorted[i - 1]) distinct++;
        return distinct;
    }
}
