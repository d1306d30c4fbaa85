using System.Diagnostics;
using System.Globalization;
using CreditRisk.Benchmarking;

namespace CreditRisk.FeatureStore.Bench;

internal static class Latency
{
    /// <summary>Runs <paramref name="operation"/> sequentially and prints the standard latency summary, calls/s and client CPU.</summary>
    public static async Task MeasureAsync(string name, int warmup, int iterations, Func<Task> operation)
    {
        var latencies = new LatencyRecorder();
        var cpuBefore = TimeSpan.Zero;
        var total = new Stopwatch();
        await latencies.MeasureAsync(warmup, iterations, async i =>
        {
            if (i == warmup)
            {
                cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                total.Start();
            }
            await operation();
        });
        total.Stop();
        var cpuPerCall = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds / iterations;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {name,-46} {latencies.Summary()}  ({iterations / total.Elapsed.TotalSeconds:F0} req/s, client CPU {cpuPerCall:F3} ms/call)"));
    }
}
