using System.Globalization;

namespace CreditRisk.Benchmarking;

/// <summary>The standard latency figures of a bench, in milliseconds.</summary>
public sealed record LatencySummary(long Count, double P50, double P90, double P99, double P999, double Max, double Mean)
{
    /// <summary>"n=… p50 … p90 … p99 … p99.9 … max … mean … ms", the one line every bench prints.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"n={Count}  p50 {P50:0.000}  p90 {P90:0.000}  p99 {P99:0.000}  p99.9 {P999:0.000}  max {Max:0.000}  mean {Mean:0.000} ms");
}
