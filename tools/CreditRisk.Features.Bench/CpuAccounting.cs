using System.Globalization;

namespace CreditRisk.Features.Bench;

/// <summary>
/// CPU time by consumer between two snapshots (Linux /proc): this process (the features service, and the dev broker
/// when it runs in-process), Redis, PostgreSQL (every backend; exited ones through the postmaster's reaped-children
/// time), and the rest of the machine. It tells what one event costs each part, so that a deployment that gives the
/// service its own cores can be sized from it.
/// </summary>
internal sealed class CpuAccounting
{
    private const double TicksPerSecond = 100;  // USER_HZ on Linux

    private readonly Dictionary<string, double> _seconds;
    private readonly double _machineBusySeconds;

    private CpuAccounting(Dictionary<string, double> seconds, double machineBusySeconds)
    {
        _seconds = seconds;
        _machineBusySeconds = machineBusySeconds;
    }

    public static bool Supported => File.Exists("/proc/stat");

    public static CpuAccounting Take()
    {
        var seconds = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["this process"] = Stat(Environment.ProcessId).Seconds,
            ["redis-server"] = 0,
            ["postgres"] = 0,
        };
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }
            var (command, total) = Stat(pid);
            if (command is "redis-server" or "postgres")
            {
                seconds[command] += total;
            }
        }
        var machine = MachineLoad.Read();
        return new CpuAccounting(seconds, (machine.Total - machine.Idle) / TicksPerSecond);
    }

    /// <summary>Per consumer, CPU seconds used from <paramref name="start"/> to this snapshot; "other" is the rest of the machine's busy time.</summary>
    public IReadOnlyList<(string Consumer, double Seconds)> Since(CpuAccounting start)
    {
        var parts = _seconds.Select(entry => (entry.Key, entry.Value - start._seconds[entry.Key])).ToList();
        parts.Add(("other", _machineBusySeconds - start._machineBusySeconds - parts.Sum(part => part.Item2)));
        return parts;
    }

    /// <summary>A process's command name and its CPU time with its reaped children's (utime + stime + cutime + cstime).</summary>
    private static (string? Command, double Seconds) Stat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return (null, 0);   // exited meanwhile
        }
        catch (UnauthorizedAccessException)
        {
            return (null, 0);
        }
        // "pid (comm) state ..." — comm may hold spaces, so split after its closing parenthesis.
        var open = text.IndexOf('(');
        var close = text.LastIndexOf(')');
        var command = text[(open + 1)..close];
        var fields = text[(close + 2)..].Split(' ');
        // After comm: state is field 0, so utime, stime, cutime, cstime are fields 11..14.
        var ticks = 0L;
        for (var i = 11; i <= 14; i++)
        {
            ticks += long.Parse(fields[i], CultureInfo.InvariantCulture);
        }
        return (command, ticks / TicksPerSecond);
    }
}
