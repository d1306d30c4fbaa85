using System.Diagnostics;
using System.Globalization;

namespace CreditRisk.FeatureStore.Bench;

internal static class Latency
{
    /// <summary>Runs <paramref name="operation"/> sequentially and prints p50/p90/p99/p99.9 and the mean.</summary>
    public static async Task MeasureAsync(string name, int warmup, int iterations, Func<Task> operation)
    {
        for (var i = 0; i < warmup; i++)
        {
            await operation();
        }
        var samples = new double[iterations];
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var total = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await operation();
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        total.Stop();
        var cpuPerCall = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds / iterations;
        Array.Sort(samples);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {name,-46} p50 {Percentile(samples, 0.50),7:F3} ms  p90 {Percentile(samples, 0.90),7:F3} ms  p99 {Percentile(samples, 0.99),7:F3} ms  p99.9 {Percentile(samples, 0.999),7:F3} ms  ({iterations / total.Elapsed.TotalSeconds:F0} req/s, client CPU {cpuPerCall:F3} ms/call, n={iterations})"));
    }

    private static double Percentile(double[] sorted, double quantile) =>
        sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)];
}
