using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;
using Microsoft.Extensions.Logging;

namespace CreditRisk.DevBroker;

/// <summary>The broker's command line: every option sets one <see cref="BrokerOptions"/> setting (or the log level).</summary>
internal static class CommandLine
{
    public static RootCommand Create(Func<BrokerOptions, LogLevel, Task<int>> run)
    {
        var defaults = new BrokerOptions { DataDirectory = Path.Combine(".", ".data", "kafka") };
        var port = new Option<int>("--port") { Description = "TCP port (0 = any free port)", DefaultValueFactory = _ => defaults.Port, CustomParser = Within("--port", 0, 65_535) };
        var host = new Option<string>("--host") { Description = "address to listen on and advertise", HelpName = "address", DefaultValueFactory = _ => defaults.Host };
        var data = new Option<string>("--data") { Description = "data directory", HelpName = "dir", DefaultValueFactory = _ => defaults.DataDirectory };
        var partitions = new Option<int>("--partitions")
        {
            Description = "partitions of auto-created topics", DefaultValueFactory = _ => defaults.DefaultPartitions, CustomParser = Within("--partitions", 1, 100_000),
        };
        var autoCreate = new Option<bool>("--auto-create")
        {
            Description = "create unknown topics on Metadata/Produce (default true; --auto-create false turns it off)", DefaultValueFactory = _ => defaults.AutoCreateTopics,
        };
        var retentionBytes = new Option<long>("--retention-bytes")
        {
            Description = "per-partition size limit, -1 = unlimited", DefaultValueFactory = _ => defaults.RetentionBytes, CustomParser = Within("--retention-bytes", -1, long.MaxValue),
        };
        var retentionMs = new Option<long>("--retention-ms")
        {
            Description = "age limit in milliseconds, -1 = unlimited", DefaultValueFactory = _ => defaults.RetentionMs, CustomParser = Within("--retention-ms", -1, long.MaxValue),
        };
        var segmentBytes = new Option<long>("--segment-bytes")
        {
            Description = "segment file size", DefaultValueFactory = _ => defaults.SegmentBytes, CustomParser = Within("--segment-bytes", 1_024L, long.MaxValue),
        };
        var logLevel = new Option<LogLevel>("--log-level")
        {
            Description = "Trace|Debug|Information|Warning|Error", HelpName = "level", DefaultValueFactory = _ => LogLevel.Information, CustomParser = ParseLevel,
        };

        var command = new RootCommand("Single-node, Kafka-wire-compatible broker for development and CI. Not for production.")
        {
            port, host, data, partitions, autoCreate, retentionBytes, retentionMs, segmentBytes, logLevel,
        };
        command.SetAction((parsed, _) =>
        {
            var retention = parsed.GetValue(retentionMs);
            return run(new BrokerOptions
            {
                Port = parsed.GetValue(port),
                Host = parsed.GetValue(host)!,
                DataDirectory = parsed.GetValue(data)!,
                DefaultPartitions = parsed.GetValue(partitions),
                AutoCreateTopics = parsed.GetValue(autoCreate),
                RetentionBytes = parsed.GetValue(retentionBytes),
                RetentionTime = retention < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(retention),
                SegmentBytes = Math.Min(parsed.GetValue(segmentBytes), int.MaxValue),
            }, parsed.GetValue(logLevel));
        });
        return command;
    }

    /// <summary>A parser of one whole number from <paramref name="min"/> to <paramref name="max"/>; anything else is a parse error.</summary>
    private static Func<ArgumentResult, T> Within<T>(string name, T min, T max) where T : struct, INumber<T> => result =>
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (T.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }
        result.AddError($"invalid value '{text}' for {name}");
        return default;
    };

    private static LogLevel ParseLevel(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (Enum.TryParse<LogLevel>(text, ignoreCase: true, out var level) && Enum.IsDefined(level))
        {
            return level;
        }
        result.AddError($"invalid value '{text}' for --log-level");
        return default;
    }
}
