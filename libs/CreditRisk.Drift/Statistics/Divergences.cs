namespace CreditRisk.Drift.Statistics;

/// <summary>
/// Distances between two discrete distributions given as non-negative weights (normalized here, as scipy does):
/// Jensen-Shannon distance (scipy.spatial.distance.jensenshannon), Kullback-Leibler divergence
/// (scipy.stats.entropy(p, q)) and the population stability index Σ (p − q) ln(p / q).
/// </summary>
public static class Divergences
{
    /// <summary>√(JS divergence), in the given logarithm base (natural when null).</summary>
    public static double JensenShannonDistance(ReadOnlySpan<double> p, ReadOnlySpan<double> q, double? logBase = null)
    {
        CheckLengths(p, q);
        var sp = Sum(p);
        var sq = Sum(q);
        var left = new CompensatedSum();
        var right = new CompensatedSum();
        for (var i = 0; i < p.Length; i++)
        {
            var pi = p[i] / sp;
            var qi = q[i] / sq;
            var m = (pi + qi) / 2.0;
            left.Add(RelativeEntropy(pi, m));
            right.Add(RelativeEntropy(qi, m));
        }
        var js = left.Value + right.Value;
        if (logBase is { } b) js /= Math.Log(b);
        return Math.Sqrt(js / 2.0);
    }

    /// <summary>Σ p ln(p / q) after normalizing both; infinite when q is 0 where p is not.</summary>
    public static double KullbackLeibler(ReadOnlySpan<double> p, ReadOnlySpan<double> q)
    {
        CheckLengths(p, q);
        var sp = Sum(p);
        var sq = Sum(q);
        var total = new CompensatedSum();
        for (var i = 0; i < p.Length; i++) total.Add(RelativeEntropy(p[i] / sp, q[i] / sq));
        return total.Value;
    }

    /// <summary>Σ (r − c) ln(r / c) over shares as given (Evidently fills empty bins before).</summary>
    public static double PopulationStabilityIndex(ReadOnlySpan<double> reference, ReadOnlySpan<double> current)
    {
        CheckLengths(reference, current);
        var total = new CompensatedSum();
        for (var i = 0; i < reference.Length; i++)
            total.Add((reference[i] - current[i]) * Math.Log(reference[i] / current[i]));
        return total.Value;
    }

    // scipy.special.rel_entr.
    private static double RelativeEntropy(double x, double y)
    {
        if (double.IsNaN(x) || double.IsNaN(y)) return double.NaN;
        if (x > 0 && y > 0) return x * Math.Log(x / y);
        if (x == 0 && y >= 0) return 0;
        return double.PositiveInfinity;
    }

    private static double Sum(ReadOnlySpan<double> values)
    {
        var sum = new CompensatedSum();
        foreach (var v in values) sum.Add(v);
        return sum.Value;
    }

    private static void CheckLengths(ReadOnlySpan<double> p, ReadOnlySpan<double> q)
    {
        if (p.Length != q.Length) throw new ArgumentException("The distributions differ in length.");
        if (p.Length == 0) throw new ArgumentException("The distributions are empty.");
    }
}
