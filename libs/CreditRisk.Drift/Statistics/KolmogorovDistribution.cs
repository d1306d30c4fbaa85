namespace CreditRisk.Drift.Statistics;

/// <summary>
/// The survival function of the two-sided one-sample Kolmogorov statistic D_n (scipy's kstwo.sf), with scipy 1.10's
/// choice of algorithm by n and n·x² (Simard and L'Ecuyer 2011): Ruben-Gambino at the ends, Durbin's matrix
/// (Marsaglia-Tsang-Wang), Pomeranz's recursion, the Pelz-Good expansion, and twice the one-sided Smirnov tail.
/// </summary>
public static class KolmogorovDistribution
{
    private const int Exponent128 = 128;
    private static readonly double Big = Math.ScaleB(1.0, Exponent128);
    private static readonly double Small = Math.ScaleB(1.0, -Exponent128);

    /// <summary>Pr(D_n &gt; x).</summary>
    public static double Survival(int n, double x)
    {
        if (n <= 0) return double.NaN;
        if (double.IsNaN(x)) return double.NaN;
        if (x >= 1.0) return 0.0;
        if (x <= 0.0) return 1.0;
        var t = n * x;
        if (t <= 1.0)
        {
            if (t <= 0.5) return 1.0;
            double prob;
            if (n <= 140)
            {
                prob = 1.0;
                for (var i = 1; i <= n; i++) prob *= i * (1.0 / n) * (2 * t - 1);
            }
            else
            {
                prob = Math.Exp(LogFactorialOverPower(n) + n * Math.Log(2 * t - 1));
            }
            return Clip(1.0 - prob);
        }
        if (t >= n - 1) return Clip(2 * Math.Pow(1.0 - x, n));
        if (x >= 0.5) return Clip(2 * SmirnovSurvival(n, x));
        var nxSquared = t * x;
        if (n <= 140)
        {
            if (nxSquared <= 0.754693) return Clip(1.0 - Clip(DurbinMatrixCdf(n, x)));
            if (nxSquared <= 4) return Clip(1.0 - Clip(PomeranzCdf(n, x)));
            return Clip(2 * SmirnovSurvival(n, x));
        }
        if (nxSquared >= 370.0) return 0.0;
        if (nxSquared >= 2.2) return Clip(2 * SmirnovSurvival(n, x));
        double cdf = n <= 100_000 && n * Math.Pow(x, 1.5) <= 1.4 ? Clip(DurbinMatrixCdf(n, x)) : PelzGoodCdf(n, x);
        return Clip(1.0 - cdf);
    }

    /// <summary>Pr(D⁺_n ≥ x), the exact one-sided tail of Birnbaum and Tingey, summed in log space.</summary>
    public static double SmirnovSurvival(int n, double x)
    {
        if (x <= 0) return 1.0;
        if (x >= 1) return 0.0;
        var last = (int)Math.Floor(n * (1.0 - x));
        double sum = 0;
        // log C(n, v) by a compensated running sum: a plain one drifts by ~1e-8 over 10⁵ terms.
        var logBinomial = new CompensatedSum();
        for (var v = 0; v <= last; v++)
        {
            var evn = x + (double)v / n;
            var omevn = 1.0 - evn;
            if (omevn > 0 || n - v == 0)
            {
                var logTerm = logBinomial.Value + (v - 1) * Math.Log(evn) + (n - v == 0 ? 0 : (n - v) * Math.Log(omevn));
                sum += Math.Exp(logTerm);
            }
            if (v < n)
            {
                logBinomial.Add(Math.Log(n - v));
                logBinomial.Add(-Math.Log(v + 1));
            }
        }
        return Math.Min(1.0, sum * x);
    }

    private static double Clip(double p) => double.IsNaN(p) ? p : Math.Clamp(p, 0.0, 1.0);

    private static readonly double[] StirlingCoefficients =
    [
        -2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3, 8.4175084175084175084e-4,
        -5.952380952380952381e-4, 7.9365079365079365079e-4, -2.7777777777777777778e-3, 8.3333333333333333333e-2,
    ];

    // log(n! / n^n) by Stirling's series.
    private static double LogFactorialOverPower(int n)
    {
        var rn = 1.0 / n;
        var poly = 0.0;
        foreach (var c in StirlingCoefficients) poly = poly * (rn / n) + c;
        return Math.Log(n) / 2 - n + Math.Log(2 * Math.PI) / 2 + rn * poly;
    }

    // Durbin's matrix, raised to the n-th power by squaring with its exponent kept apart.
    private static double DurbinMatrixCdf(int n, double d)
    {
        if (d >= 1.0) return 1.0;
        var nd = n * d;
        if (nd <= 0.5) return 0.0;
        var k = (int)Math.Ceiling(nd);
        var h = k - nd;
        var m = 2 * k - 1;
        var matrix = new double[m * m];
        var v = new double[m];
        var w = new double[m];
        var fac = 1.0;
        for (var j = 1; j <= m; j++)
        {
            v[j - 1] = 1.0 - Math.Pow(h, j);
            w[j - 1] = fac;
            fac /= j;
            v[j - 1] *= fac;
        }
        var tt = Math.Pow(Math.Max(2 * h - 1.0, 0), m) - 2 * Math.Pow(h, m);
        v[m - 1] = (1.0 + tt) * fac;
        for (var i = 1; i < m; i++)
            for (var r = i - 1; r < m; r++)
                matrix[r * m + i] = w[r - (i - 1)];
        for (var r = 0; r < m; r++) matrix[r * m] = v[r];
        for (var c = 0; c < m; c++) matrix[(m - 1) * m + c] = v[m - 1 - c];

        var power = new double[m * m];
        for (var i = 0; i < m; i++) power[i * m + i] = 1.0;
        var scratch = new double[m * m];
        var remaining = n;
        var exponent = 0;
        var matrixExponent = 0;
        while (remaining > 0)
        {
            if (remaining % 2 == 1)
            {
                Multiply(power, matrix, scratch, m);
                (power, scratch) = (scratch, power);
                exponent += matrixExponent;
            }
            Multiply(matrix, matrix, scratch, m);
            (matrix, scratch) = (scratch, matrix);
            matrixExponent *= 2;
            if (Math.Abs(matrix[(k - 1) * m + k - 1]) > Big)
            {
                for (var i = 0; i < matrix.Length; i++) matrix[i] /= Big;
                matrixExponent += Exponent128;
            }
            remaining /= 2;
        }
        var p = power[(k - 1) * m + k - 1];
        for (var i = 1; i <= n; i++)
        {
            p = i * p / n;
            if (Math.Abs(p) < Small)
            {
                p *= Big;
                exponent -= Exponent128;
            }
        }
        return exponent != 0 ? Math.ScaleB(p, exponent) : p;
    }

    private static void Multiply(double[] a, double[] b, double[] result, int m)
    {
        Array.Clear(result);
        for (var i = 0; i < m; i++)
            for (var k = 0; k < m; k++)
            {
                var aik = a[i * m + k];
                if (aik == 0) continue;
                for (var j = 0; j < m; j++) result[i * m + j] += aik * b[k * m + j];
            }
    }

    private static (int J1, int J2) PomeranzBounds(int i, int n, int ll, int ceilf, int roundf)
    {
        int j1, j2;
        if (i == 0)
        {
            j1 = -ll - ceilf - 1;
            j2 = ll + ceilf - 1;
        }
        else
        {
            var half = (i + 1) / 2;
            if ((i + 1) % 2 == 0)
            {
                if (half == n + 1)
                {
                    j1 = n - ll - ceilf - 1;
                    j2 = n + ll + ceilf - 1;
                }
                else
                {
                    j1 = half - 1 - ll - roundf - 1;
                    j2 = half + ll - 1 + ceilf - 1;
                }
            }
            else
            {
                j1 = half - 1 - ll - 1;
                j2 = half + ll + roundf - 1;
            }
        }
        return (Math.Max(j1 + 2, 0), Math.Min(j2, n));
    }

    // Pomeranz (1974): a recursion over 2n+1 rows, each a convolution with powers of g/n, 2g/n or (1−2g)/n.
    private static double PomeranzCdf(int n, double x)
    {
        var t = n * x;
        var ll = (int)Math.Floor(t);
        var f = t - ll;
        var g = Math.Min(f, 1.0 - f);
        var ceilf = f > 0 ? 1 : 0;
        var roundf = f > 0.5 ? 1 : 0;
        var powers = 2 * (ll + 1);
        var gPower = new double[powers];
        var twoGPower = new double[powers];
        var oneMinusTwoGPower = new double[powers];
        gPower[0] = twoGPower[0] = oneMinusTwoGPower[0] = 1.0;
        var exponent = 0;
        double gOverN = g / n, twoGOverN = 2 * g / n, oneMinusTwoGOverN = (1 - 2 * g) / n;
        for (var m = 1; m < powers; m++)
        {
            gPower[m] = gPower[m - 1] * gOverN / m;
            twoGPower[m] = twoGPower[m - 1] * twoGOverN / m;
            oneMinusTwoGPower[m] = oneMinusTwoGPower[m - 1] * oneMinusTwoGOverN / m;
        }
        var v0 = new double[powers];
        var v1 = new double[powers];
        v1[0] = 1;
        int v0Start = 0, v1Start = 0;
        var (j1, j2) = PomeranzBounds(0, n, ll, ceilf, roundf);
        for (var i = 1; i < 2 * n + 2; i++)
        {
            var k1 = j1;
            (v0, v1) = (v1, v0);
            (v0Start, v1Start) = (v1Start, v0Start);
            Array.Clear(v1);
            (j1, j2) = PomeranzBounds(i, n, ll, ceilf, roundf);
            var pwrs = i == 1 || i == 2 * n + 1 ? gPower : i % 2 == 1 ? twoGPower : oneMinusTwoGPower;
            var length = j2 - k1 + 1;
            if (length <= 0) continue;
            // numpy slices clip at the array's end; the full convolution is then taken.
            var aStart = k1 - v0Start;
            var aLength = Math.Min(length, powers - aStart);
            var bLength = Math.Min(length, powers);
            var convStart = j1 - k1;
            var convLength = j2 - j1 + 1;
            var max = 0.0;
            for (var c = 0; c < convLength; c++)
            {
                var index = convStart + c;
                var sum = 0.0;
                var lo = Math.Max(0, index - (bLength - 1));
                var hi = Math.Min(index, aLength - 1);
                for (var a = lo; a <= hi; a++) sum += v0[aStart + a] * pwrs[index - a];
                v1[c] = sum;
                if (sum > max) max = sum;
            }
            if (max > 0 && max < Small)
            {
                for (var c = 0; c < v1.Length; c++) v1[c] *= Big;
                exponent -= Exponent128;
            }
            v1Start = v0Start + j1 - k1;
        }
        var answer = v1[n - v1Start];
        for (var m = 1; m <= n; m++)
        {
            if (Math.Abs(answer) > Big)
            {
                answer *= Small;
                exponent += Exponent128;
            }
            answer *= m;
        }
        return exponent != 0 ? Math.ScaleB(answer, exponent) : answer;
    }

    // Pelz and Good (1976): the Li-Chien/Korolyuk expansion in 1/√n, its terms as Jacobi theta series.
    private static double PelzGoodCdf(int n, double x)
    {
        if (x <= 0.0) return 0.0;
        if (x >= 1.0) return 1.0;
        var z = Math.Sqrt(n) * x;
        double z2 = z * z, z3 = z2 * z, z4 = z2 * z2, z6 = z4 * z2;
        const double piSquared = Math.PI * Math.PI;
        const double piFour = piSquared * piSquared;
        const double piSix = piFour * piSquared;
        var qlog = -piSquared / 8 / z2;
        if (qlog < -708) return 0.0;
        var q = Math.Exp(qlog);
        var k1a = -z2;
        var k1b = piSquared / 4;
        var k2a = 6 * z6 + 2 * z4;
        var k2b = (2 * z4 - 5 * z2) * piSquared / 4;
        var k2c = piFour * (1 - 2 * z2) / 16;
        var k3d = piSix * (5 - 30 * z2) / 64;
        var k3c = piFour * (-60 * z2 + 212 * z4) / 16;
        var k3b = piSquared * (135 * z4 - 96 * z6) / 4;
        var k3a = -30 * z6 - 90 * Math.Pow(z, 8);
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        var maxK = (int)Math.Ceiling(16 * z / Math.PI);
        for (var k = maxK; k > 0; k--)
        {
            double m = 2 * k - 1, m2 = m * m, m4 = m2 * m2, m6 = m4 * m2;
            var qPower = Math.Pow(q, 8 * k);
            s0 = s0 * qPower + 1.0;
            s1 = s1 * qPower + (k1a + k1b * m2);
            s2 = s2 * qPower + (k2a + k2b * m2 + k2c * m4);
            s3 = s3 * qPower + (k3a + k3b * m2 + k3c * m4 + k3d * m6);
        }
        var scale = q * Math.Sqrt(2 * Math.PI);
        s0 = s0 * scale / z;
        s1 = s1 * scale / (6 * z4);
        s2 = s2 * scale / (72 * Math.Pow(z, 7));
        s3 = s3 * scale / (6480 * Math.Pow(z, 10));
        var q2 = Math.Exp(-piSquared / 2 / z2);
        var sqrt3z = Math.Sqrt(3) * z;
        double k2Extra = 0, k3Extra = 0;
        for (var k = maxK; k > 0; k--)
        {
            double ks = k, ks2 = ks * ks;
            var qp = Math.Pow(q2, ks2);
            k2Extra += ks2 * qp;
            var kspi = Math.PI * ks;
            k3Extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ks2 * qp;
        }
        s2 += k2Extra * piSquared * Math.Sqrt(2 * Math.PI) / (-36 * z3);
        s3 += k3Extra * piSquared * Math.Sqrt(2 * Math.PI) / (216 * z6);
        var sqrtN = Math.Sqrt((double)n);
        return s0 + s1 / sqrtN + s2 / n + s3 / (n * sqrtN);
    }
}
