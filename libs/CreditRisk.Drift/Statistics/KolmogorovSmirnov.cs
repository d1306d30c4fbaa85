namespace CreditRisk.Drift.Statistics;

/// <summary>
/// The two-sided two-sample Kolmogorov-Smirnov test as scipy 1.10's ks_2samp(method='auto'): exact when both
/// samples have at most 10,000 values (Hodges' lattice-path counts, the 1−p recursion of Viehmann 2021),
/// otherwise kstwo.sf(D, round(mn/(m+n))).
/// </summary>
public static class KolmogorovSmirnov
{
    /// <summary>The size above which scipy's 'auto' stops computing exactly.</summary>
    public const int MaxExactSize = 10_000;

    /// <summary>Both inputs must be sorted ascending and free of NaN.</summary>
    public static KolmogorovSmirnovResult TwoSample(ReadOnlySpan<double> sorted1, ReadOnlySpan<double> sorted2)
    {
        int n1 = sorted1.Length, n2 = sorted2.Length;
        if (n1 == 0 || n2 == 0) throw new ArgumentException("Both samples must be non-empty.");
        var d = Statistic(sorted1, sorted2);
        if (Math.Max(n1, n2) <= MaxExactSize)
        {
            var (success, rounded, p) = TryExact(n1, n2, d);
            d = rounded;
            if (success) return new KolmogorovSmirnovResult(d, Math.Clamp(p, 0, 1), true);
        }
        double m = Math.Max(n1, n2), n = Math.Min(n1, n2);
        var en = m * n / (m + n);
        var prob = KolmogorovDistribution.Survival((int)Math.Round(en, MidpointRounding.ToEven), d);
        return new KolmogorovSmirnovResult(d, Math.Clamp(prob, 0, 1), false);
    }

    /// <summary>max |F1(x) − F2(x)| over the pooled values, the ECDFs counting values ≤ x (searchsorted 'right').</summary>
    public static double Statistic(ReadOnlySpan<double> sorted1, ReadOnlySpan<double> sorted2)
    {
        int n1 = sorted1.Length, n2 = sorted2.Length;
        int i = 0, j = 0;
        double maxDiff = double.NegativeInfinity, minDiff = double.PositiveInfinity;
        while (i < n1 || j < n2)
        {
            var x = j >= n2 || (i < n1 && sorted1[i] <= sorted2[j]) ? sorted1[i] : sorted2[j];
            while (i < n1 && sorted1[i] <= x) i++;
            while (j < n2 && sorted2[j] <= x) j++;
            var diff = (double)i / n1 - (double)j / n2;
            if (diff > maxDiff) maxDiff = diff;
            if (diff < minDiff) minDiff = diff;
        }
        var minS = Math.Clamp(-minDiff, 0, 1);
        return minS > maxDiff ? minS : maxDiff;
    }

    private static (bool Success, double D, double P) TryExact(int n1, int n2, double d)
    {
        var g = Gcd(n1, n2);
        var lcm = (double)(n1 / g) * n2;
        var h = (long)Math.Round(d * lcm, MidpointRounding.ToEven);
        d = h / lcm;
        if (h == 0) return (true, d, 1.0);
        var p = n1 == n2 ? ProbabilityOutsideSquare(n1, h) : OuterProbabilityInside(n1, n2, g, h);
        return (p is >= 0 and <= 1, d, p);
    }

    // The proportion of paths leaving the band |x − y| < h when m = n (reflection principle).
    private static double ProbabilityOutsideSquare(int n, long h)
    {
        var total = 0.0;
        var k = (long)Math.Floor((double)n / h);
        while (k >= 0)
        {
            var p1 = 1.0;
            for (long j = 0; j < h; j++) p1 = (n - k * h - j) * p1 / (n + k * h + j + 1);
            total = p1 * (1.0 - total);
            k--;
        }
        return 2 * total;
    }

    // 1 − (paths staying strictly inside |x/m − y/n| < h/lcm) / C(m+n, n), one sliding column at a time.
    private static double OuterProbabilityInside(long m, long n, long g, long h)
    {
        if (m < n) (m, n) = (n, m);
        var mg = m / g;
        var ng = n / g;
        long minj = 0;
        var maxj = Math.Min((long)Math.Ceiling((double)h / mg), n + 1);
        var curlen = maxj - minj;
        var lenA = Math.Min(2 * maxj + 2, n + 1);
        var a = new double[lenA];
        Array.Fill(a, 1.0);
        for (var j = minj; j < maxj; j++) a[j] = 0.0;
        for (long i = 1; i <= m; i++)
        {
            var lastminj = minj;
            var lastlen = curlen;
            minj = Math.Max((long)Math.Floor((double)(ng * i - h) / mg) + 1, 0);
            minj = Math.Min(minj, n);
            maxj = Math.Min((long)Math.Ceiling((double)(ng * i + h) / mg), n + 1);
            if (maxj <= minj) return 1.0;
            var val = minj == 0 ? 0.0 : 1.0;
            for (long jj = 0; jj < maxj - minj; jj++)
            {
                var j = jj + minj;
                val = (a[jj + minj - lastminj] * i + val * j) / (i + j);
                a[jj] = val;
            }
            curlen = maxj - minj;
            if (lastlen > curlen)
                for (var r = maxj - minj; r < maxj - minj + (lastlen - curlen) && r < lenA; r++) a[r] = 1;
        }
        return a[maxj - minj - 1];
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }
}
