using System.Globalization;

namespace CreditRisk.Drift.Columns;

/// <summary>
/// Counts per category for the reference and the current sample over the union of their categories,
/// aligned (a category absent on one side counts 0). Numeric values are categories in ascending order; text ordinally.
/// </summary>
public sealed class CategoryTable
{
    private CategoryTable(string[] labels, double[] reference, double[] current)
    {
        Labels = labels;
        Reference = reference;
        Current = current;
    }

    public string[] Labels { get; }
    public double[] Reference { get; }
    public double[] Current { get; }

    public static CategoryTable Build(ColumnSample reference, ColumnSample current)
    {
        if (reference.Kind != current.Kind)
            throw new ArgumentException($"Column '{reference.Name}' is {reference.Kind} in the reference and {current.Kind} in the current data.");
        return reference.Kind == ColumnKind.Numeric ? FromSorted(reference.SortedValues, current.SortedValues) : FromCounts(reference, current);
    }

    private static CategoryTable FromCounts(ColumnSample reference, ColumnSample current)
    {
        var keys = new SortedSet<string>(reference.CategoryCounts.Keys, StringComparer.Ordinal);
        keys.UnionWith(current.CategoryCounts.Keys);
        var labels = keys.ToArray();
        var r = new double[labels.Length];
        var c = new double[labels.Length];
        for (var i = 0; i < labels.Length; i++)
        {
            r[i] = reference.CategoryCounts.GetValueOrDefault(labels[i]);
            c[i] = current.CategoryCounts.GetValueOrDefault(labels[i]);
        }
        return new CategoryTable(labels, r, c);
    }

    private static CategoryTable FromSorted(double[] a, double[] b)
    {
        var labels = new List<string>();
        var r = new List<double>();
        var c = new List<double>();
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            var x = j >= b.Length || (i < a.Length && a[i] <= b[j]) ? a[i] : b[j];
            int i0 = i, j0 = j;
            while (i < a.Length && a[i] <= x) i++;
            while (j < b.Length && b[j] <= x) j++;
            labels.Add(x.ToString("R", CultureInfo.InvariantCulture));
            r.Add(i - i0);
            c.Add(j - j0);
        }
        return new CategoryTable([.. labels], [.. r], [.. c]);
    }
}
