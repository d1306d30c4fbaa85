namespace CreditRisk.Drift.Statistics;

/// <summary>
/// The first Wasserstein distance between two 1-D samples, as scipy.stats.wasserstein_distance:
/// ∫ |U(x) − V(x)| dx over the pooled values, walked once through both sorted samples.
/// </summary>
public static class Wasserstein
{
    /// <summary>Both inputs must be sorted ascending and free of NaN.</summary>
    public static double Distance(ReadOnlySpan<double> sortedU, ReadOnlySpan<double> sortedV)
    {
        int nu = sortedU.Length, nv = sortedV.Length;
        if (nu == 0 || nv == 0) throw new ArgumentException("Both samples must be non-empty.");
        int i = 0, j = 0;
        var sum = new CompensatedSum();
        var x = Math.Min(sortedU[0], sortedV[0]);
        while (true)
        {
            while (i < nu && sortedU[i] <= x) i++;
            while (j < nv && sortedV[j] <= x) j++;
            if (i == nu && j == nv) break;
            var next = j >= nv || (i < nu && sortedU[i] <= sortedV[j]) ? sortedU[i] : sortedV[j];
            sum.Add(Math.Abs((double)i / nu - (double)j / nv) * (next - x));
            x = next;
        }
        return sum.Value;
    }
}
