namespace CreditRisk.Drift.Statistics;

/// <summary>
/// The regularized incomplete gamma functions and erfc, for the chi-square and normal tails.
/// Shapes are restricted to multiples of 1/2 (every chi-square's df/2 and erfc's 1/2) so that log Γ(a)
/// is an exact sum of logarithms rather than an approximation: the tails are then good to ~1e-14 relative.
/// </summary>
public static class SpecialFunctions
{
    private const double Epsilon = 1e-16;
    private const int MaxIterations = 100_000;
    private static readonly double LogSqrtPi = 0.5 * Math.Log(Math.PI);

    /// <summary>Q(a, x) = Γ(a, x) / Γ(a), the upper tail; a must be a positive multiple of 1/2.</summary>
    public static double UpperRegularizedGamma(double a, double x)
    {
        ValidateShape(a);
        if (double.IsNaN(x)) return double.NaN;
        if (x <= 0) return 1.0;
        if (double.IsPositiveInfinity(x)) return 0.0;
        return x < a + 1 ? 1.0 - LowerSeries(a, x) : UpperContinuedFraction(a, x);
    }

    /// <summary>P(a, x) = 1 − Q(a, x), the lower tail; a must be a positive multiple of 1/2.</summary>
    public static double LowerRegularizedGamma(double a, double x)
    {
        ValidateShape(a);
        if (double.IsNaN(x)) return double.NaN;
        if (x <= 0) return 0.0;
        if (double.IsPositiveInfinity(x)) return 1.0;
        return x < a + 1 ? LowerSeries(a, x) : 1.0 - UpperContinuedFraction(a, x);
    }

    /// <summary>The complementary error function, erfc(x) = Q(1/2, x²) for x ≥ 0.</summary>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x)) return double.NaN;
        if (x < 0) return 2.0 - Erfc(-x);
        return UpperRegularizedGamma(0.5, x * x);
    }

    /// <summary>The chi-square upper tail with <paramref name="degreesOfFreedom"/> (scipy's chi2.sf).</summary>
    public static double ChiSquareSurvival(double statistic, int degreesOfFreedom) =>
        UpperRegularizedGamma(degreesOfFreedom / 2.0, statistic / 2.0);

    /// <summary>log Γ(a) for a positive multiple of 1/2, as a sum of logarithms.</summary>
    public static double LogGammaHalfInteger(double a)
    {
        ValidateShape(a);
        var twice = (long)Math.Round(2 * a);
        double sum;
        double k;
        if (twice % 2 == 0)
        {
            // Γ(n) = (n−1)!
            sum = 0;
            k = 2;
        }
        else
        {
            // Γ(n + 1/2) = √π · Π_{j=1..n} (j − 1/2)
            sum = LogSqrtPi;
            k = 0.5;
        }
        for (; k < a; k += 1) sum += Math.Log(k);
        return sum;
    }

    private static void ValidateShape(double a)
    {
        if (!(a > 0) || Math.Abs(2 * a - Math.Round(2 * a)) > 0 || a > 1e8)
            throw new ArgumentOutOfRangeException(nameof(a), a, "The shape must be a positive multiple of 1/2.");
    }

    // e^{-x} x^a / Γ(a), the factor both expansions share.
    private static double Prefactor(double a, double x) => Math.Exp(a * Math.Log(x) - x - LogGammaHalfInteger(a));

    private static double LowerSeries(double a, double x)
    {
        var term = 1.0 / a;
        var sum = term;
        for (var n = 1; n < MaxIterations; n++)
        {
            term *= x / (a + n);
            sum += term;
            if (Math.Abs(term) < Math.Abs(sum) * Epsilon) break;
        }
        return sum * Prefactor(a, x);
    }

    // Modified Lentz evaluation of Legendre's continued fraction for Γ(a, x).
    private static double UpperContinuedFraction(double a, double x)
    {
        const double tiny = 1e-300;
        var b = x + 1 - a;
        var c = 1 / tiny;
        var d = 1 / b;
        var h = d;
        for (var i = 1; i < MaxIterations; i++)
        {
            var an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.Abs(d) < tiny) d = tiny;
            c = b + an / c;
            if (Math.Abs(c) < tiny) c = tiny;
            d = 1 / d;
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < Epsilon) break;
        }
        return Prefactor(a, x) * h;
    }
}
