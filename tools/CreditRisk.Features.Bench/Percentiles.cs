namespace CreditRisk.Features.Bench;

/// <summary>Latency percentiles of a sample, in milliseconds.</summary>
internal static class Percentiles
{
    public static (double P50, double P90, double P99, double Max) Of(List<double> milliseconds)
    {
        var sorted = milliseconds.Order().ToArray();
        double At(double quantile) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)];
        return (At(0.50), At(0.90), At(0.99), sorted[^1]);
    }
}
