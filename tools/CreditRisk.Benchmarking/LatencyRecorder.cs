using System.Diagnostics;
using HdrHistogram;

namespace CreditRisk.Benchmarking;

/// <summary>
/// Latencies of one operation in an HDR histogram (three significant digits, up to an hour), safe to record into
/// from several threads at once; every bench reports them through <see cref="Summary"/>, so their figures compare.
/// </summary>
public sealed class LatencyRecorder
{
    private static readonly long HighestTrackable = Stopwatch.Frequency * 3_600;

    private readonly LongConcurrentHistogram _histogram = new(1, HighestTrackable, 3);

    /// <summary>Records the time since <paramref name="startTimestamp"/>, a <see cref="Stopwatch.GetTimestamp"/>.</summary>
    public void RecordSince(long startTimestamp) => RecordTicks(Stopwatch.GetTimestamp() - startTimestamp);

    public void Record(TimeSpan elapsed) => RecordTicks((long)(elapsed.TotalSeconds * Stopwatch.Frequency));

    /// <summary>Times <paramref name="iterations"/> sequential calls after <paramref name="warmup"/> untimed ones; the call gets its index.</summary>
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
            RecordSince(started);
        }
    }

    public LatencySummary Summary()
    {
        var histogram = _histogram.Copy();
        double Milliseconds(long ticks) => ticks * 1_000.0 / Stopwatch.Frequency;
        return histogram.TotalCount == 0
            ? new LatencySummary(0, 0, 0, 0, 0, 0, 0)
            : new LatencySummary(
                histogram.TotalCount,
                Milliseconds(histogram.GetValueAtPercentile(50)),
                Milliseconds(histogram.GetValueAtPercentile(90)),
                Milliseconds(histogram.GetValueAtPercentile(99)),
                Milliseconds(histogram.GetValueAtPercentile(99.9)),
                Milliseconds(histogram.GetMaxValue()),
                histogram.GetMean() * 1_000.0 / Stopwatch.Frequency);
    }

    private void RecordTicks(long ticks) => _histogram.RecordValue(Math.Clamp(ticks, 1, HighestTrackable));
}
