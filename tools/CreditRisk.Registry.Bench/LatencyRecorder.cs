using System.Diagnostics;
using System.Globalization;

namespace CreditRisk.Registry.Bench;

/// <summary>Times repeated calls and reports percentiles in milliseconds.</summary>
public sealed class LatencyRecorder(string name)
{
    private readonly List<double> _milliseconds = [];

    public async Task MeasureAsync(int warmup, int iterations, Func<int, Task> call)
    {
        for (var i = 0; i < warmup; i++)
        {
            await call(i);
        }
        for (var i = 0; i < iterations; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await call(warmup + i);
            _milliseconds.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    public double Percentile(double p)
    {
        var sorted = _milliseconds.Order().ToList();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }

    public string Report() => string.Create(CultureInfo.InvariantCulture,
        $"{name,-58} n={_milliseconds.Count,4}  p50={Percentile(50),8:0.00} ms  p99={Percentile(99),8:0.00} ms  mean={_milliseconds.Average(),8:0.00} ms");
}
