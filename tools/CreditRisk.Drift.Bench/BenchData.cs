using System.Globalization;

namespace CreditRisk.Drift.Bench;

/// <summary>
/// The synthetic columns: mostly continuous (a few shifted in the current data), some numeric with 4 values, some text
/// with 10 categories; text is also kept as category codes for the Python side.
/// </summary>
public sealed record BenchColumn(string Name, bool IsText, double[] Reference, double[] Current)
{
    private static readonly string[] Categories = [.. Enumerable.Range(0, 10).Select(i => "cat" + i.ToString(CultureInfo.InvariantCulture))];

    public static BenchColumn[] Generate(int referenceRows, int currentRows, int columns)
    {
        var result = new BenchColumn[columns];
        Parallel.For(0, columns, i =>
        {
            var random = new Random(1000 + i);
            var kind = i % 20;
            var shift = i % 5 == 4 ? 0.3 : 0.0;
            if (kind >= 17)
                result[i] = new BenchColumn($"text_{i}", true, Codes(random, referenceRows, 10, 0), Codes(random, currentRows, 10, shift));
            else if (kind >= 14)
                result[i] = new BenchColumn($"level_{i}", false, Codes(random, referenceRows, 4, 0), Codes(random, currentRows, 4, shift));
            else
                result[i] = new BenchColumn($"num_{i}", false, Normal(random, referenceRows, 0), Normal(random, currentRows, shift));
        });
        return result;
    }

    public string[] ReferenceText() => [.. Reference.Select(c => Categories[(int)c])];
    public string[] CurrentText() => [.. Current.Select(c => Categories[(int)c])];

    private static double[] Normal(Random random, int n, double shift)
    {
        var values = new double[n];
        for (var i = 0; i < n; i++) values[i] = shift + random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5;
        return values;
    }

    // Codes 0..k−1, skewed towards the low codes by the shift.
    private static double[] Codes(Random random, int n, int k, double shift)
    {
        var values = new double[n];
        for (var i = 0; i < n; i++) values[i] = Math.Min(k - 1, Math.Floor(Math.Pow(random.NextDouble(), 1 + shift) * k));
        return values;
    }
}
