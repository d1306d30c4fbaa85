using System.Globalization;
using Microsoft.Extensions.Logging;

namespace CreditRisk.DevBroker;

/// <summary>Parses the broker's command line into <see cref="BrokerOptions"/>.</summary>
internal static class CommandLine
{
    public const string Usage =
        """
        usage: dotnet CreditRisk.DevBroker.dll [options]
          --port N               TCP port (default 9092; 0 = any free port)
          --host ADDRESS         address to listen on and advertise (default 127.0.0.1)
          --data DIR             data directory (default ./.data/kafka)
          --partitions N         partitions of auto-created topics (default 1)
          --auto-create BOOL     create unknown topics on Metadata/Produce (default true)
          --retention-bytes N    per-partition size limit, -1 = unlimited (default -1)
          --retention-ms N       age limit in milliseconds, -1 = unlimited (default 604800000)
          --segment-bytes N      segment file size (default 67108864)
          --log-level LEVEL      Trace|Debug|Information|Warning|Error (default Information)
        """;

    public static bool TryParse(string[] args, out BrokerOptions options, out LogLevel logLevel, out string problem)
    {
        var parsed = new BrokerOptions { DataDirectory = Path.Combine(".", ".data", "kafka") };
        options = parsed;
        logLevel = LogLevel.Information;
        problem = "";
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help")
            {
                problem = "help";
                return false;
            }
            if (i + 1 >= args.Length)
            {
                problem = $"missing value for {name}";
                return false;
            }
            var value = args[++i];
            var ok = name switch
            {
                "--port" => TryInt(value, 0, 65535, v => parsed.Port = v),
                "--host" => Set(() => parsed.Host = value),
                "--data" => Set(() => parsed.DataDirectory = value),
                "--partitions" => TryInt(value, 1, 100_000, v => parsed.DefaultPartitions = v),
                "--auto-create" => TryBool(value, v => parsed.AutoCreateTopics = v),
                "--retention-bytes" => TryLong(value, -1, v => parsed.RetentionBytes = v),
                "--retention-ms" => TryLong(value, -1, v => parsed.RetentionTime = v < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(v)),
                "--segment-bytes" => TryLong(value, 1024, v => parsed.SegmentBytes = Math.Min(v, int.MaxValue)),
                "--log-level" => TryLevel(value, out logLevel),
                _ => false,
            };
            if (!ok)
            {
                problem = name.StartsWith("--", StringComparison.Ordinal) && IsKnown(name)
                    ? $"invalid value '{value}' for {name}"
                    : $"unknown option {name}";
                return false;
            }
        }
        return true;
    }

    private static bool IsKnown(string name) => name is "--port" or "--host" or "--data" or "--partitions" or "--auto-create"
        or "--retention-bytes" or "--retention-ms" or "--segment-bytes" or "--log-level";

    private static bool Set(Action apply)
    {
        apply();
        return true;
    }

    private static bool TryInt(string value, int min, int max, Action<int> apply)
    {
        var ok = int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) && parsed >= min && parsed <= max;
        if (ok)
        {
            apply(parsed);
        }
        return ok;
    }

    private static bool TryLong(string value, long min, Action<long> apply)
    {
        var ok = long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) && parsed >= min;
        if (ok)
        {
            apply(parsed);
        }
        return ok;
    }

    private static bool TryBool(string value, Action<bool> apply)
    {
        var ok = bool.TryParse(value, out var parsed);
        if (ok)
        {
            apply(parsed);
        }
        return ok;
    }

    private static bool TryLevel(string value, out LogLevel level) =>
        Enum.TryParse(value, ignoreCase: true, out level) && Enum.IsDefined(level);
}
