using System.Diagnostics;
using System.Globalization;

namespace CreditRisk.Features.Bench;

/// <summary>
/// Whole-machine CPU use from /proc/stat, so that latency is measured once what ran before it (the stores
/// flushing, Redis rewriting its append-only file, JIT tiering) has settled.
/// </summary>
internal static class MachineLoad
{
    public static async Task<(TimeSpan Waited, double BusyShare)> WaitUntilQuietAsync(double maxBusyShare, TimeSpan maxWait)
    {
        var waited = Stopwatch.StartNew();
        var busy = 1.0;
        if (!File.Exists("/proc/stat"))
        {
            return (TimeSpan.Zero, double.NaN);
        }
        var previous = Read();
        while (waited.Elapsed < maxWait)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            var current = Read();
            var total = current.Total - previous.Total;
            busy = total == 0 ? 0 : 1.0 - (double)(current.Idle - previous.Idle) / total;
            previous = current;
            if (busy <= maxBusyShare)
            {
                break;
            }
        }
        return (waited.Elapsed, busy);
    }

    /// <summary>Jiffies (USER_HZ ticks) since boot: all, and idle + I/O wait.</summary>
    internal static (long Total, long Idle) Read()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(field => long.Parse(field, CultureInfo.InvariantCulture)).ToArray();
        return (fields.Sum(), fields[3] + fields[4]);
    }
}
