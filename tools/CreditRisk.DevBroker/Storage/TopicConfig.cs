using System.Globalization;

namespace CreditRisk.DevBroker.Storage;

/// <summary>
/// Effective settings of one topic: the overrides given at creation (stored in the topic's json file) on top
/// of the broker defaults. Only the settings below change behaviour; other valid Kafka topic configs given
/// at creation are stored and reported but have no effect here.
/// </summary>
internal sealed class TopicConfig
{
    public const string RetentionMsKey = "retention.ms";
    public const string RetentionBytesKey = "retention.bytes";
    public const string SegmentBytesKey = "segment.bytes";
    public const string CleanupPolicyKey = "cleanup.policy";
    public const string TimestampTypeKey = "message.timestamp.type";

    /// <summary>Topic-level config names Kafka accepts; anything else is INVALID_CONFIG as in Kafka.</summary>
    private static readonly HashSet<string> KnownNames =
    [
        RetentionMsKey, RetentionBytesKey, SegmentBytesKey, CleanupPolicyKey, TimestampTypeKey,
        "compression.type", "delete.retention.ms", "file.delete.delay.ms", "flush.messages", "flush.ms",
        "index.interval.bytes", "max.compaction.lag.ms", "max.message.bytes", "message.downconversion.enable",
        "message.timestamp.after.max.ms", "message.timestamp.before.max.ms", "message.timestamp.difference.max.ms",
        "min.cleanable.dirty.ratio", "min.compaction.lag.ms", "min.insync.replicas", "preallocate",
        "segment.index.bytes", "segment.jitter.ms", "segment.ms", "unclean.leader.election.enable",
        "local.retention.bytes", "local.retention.ms", "remote.storage.enable",
        "follower.replication.throttled.replicas", "leader.replication.throttled.replicas",
    ];

    private TopicConfig(IReadOnlyDictionary<string, string> overrides, long retentionMs, long retentionBytes, long segmentBytes, string cleanupPolicy, bool logAppendTime)
    {
        Overrides = overrides;
        RetentionMs = retentionMs;
        RetentionBytes = retentionBytes;
        SegmentBytes = segmentBytes;
        CleanupPolicy = cleanupPolicy;
        UsesLogAppendTime = logAppendTime;
    }

    public IReadOnlyDictionary<string, string> Overrides { get; }
    public long RetentionMs { get; }
    public long RetentionBytes { get; }
    public long SegmentBytes { get; }
    public string CleanupPolicy { get; }
    public bool UsesLogAppendTime { get; }

    /// <summary>Validates overrides like Kafka's LogConfig; false with a message for an unknown name or bad value.</summary>
    public static bool TryCreate(IReadOnlyDictionary<string, string> overrides, BrokerOptions defaults, out TopicConfig config, out string error)
    {
        config = null!;
        var retentionMs = defaults.RetentionMs;
        var retentionBytes = defaults.RetentionBytes;
        var segmentBytes = defaults.SegmentBytes;
        var cleanupPolicy = "delete";
        var logAppendTime = false;
        foreach (var (name, value) in overrides)
        {
            if (!KnownNames.Contains(name))
            {
                error = $"Unknown topic config name: {name}";
                return false;
            }
            var valid = name switch
            {
                RetentionMsKey => TryParseLong(value, -1, out retentionMs),
                RetentionBytesKey => TryParseLong(value, -1, out retentionBytes),
                // A segment must hold at least one batch header; positions are int32 as in Kafka.
                SegmentBytesKey => TryParseLong(value, 14, out segmentBytes) && segmentBytes <= int.MaxValue,
                CleanupPolicyKey => IsCleanupPolicy(value, out cleanupPolicy),
                TimestampTypeKey => IsTimestampType(value, out logAppendTime),
                _ => true,
            };
            if (!valid)
            {
                error = $"Invalid value {value} for configuration {name}";
                return false;
            }
        }
        config = new TopicConfig(overrides, retentionMs, retentionBytes, segmentBytes, cleanupPolicy, logAppendTime);
        error = "";
        return true;
    }

    /// <summary>Every config DescribeConfigs reports for a topic: (name, value, is an override).</summary>
    public IEnumerable<(string Name, string Value, bool IsOverride)> Describe()
    {
        var defaults = new (string Name, string Value)[]
        {
            (CleanupPolicyKey, CleanupPolicy),
            ("compression.type", "producer"),
            ("max.message.bytes", "1048588"),
            (TimestampTypeKey, UsesLogAppendTime ? "LogAppendTime" : "CreateTime"),
            ("min.insync.replicas", "1"),
            (RetentionBytesKey, Format(RetentionBytes)),
            (RetentionMsKey, Format(RetentionMs)),
            (SegmentBytesKey, Format(SegmentBytes)),
            ("segment.ms", "604800000"),
        };
        foreach (var (name, value) in defaults)
        {
            yield return (name, Overrides.TryGetValue(name, out var given) ? given : value, Overrides.ContainsKey(name));
        }
        foreach (var (name, value) in Overrides)
        {
            if (!defaults.Any(d => d.Name == name))
            {
                yield return (name, value, true);
            }
        }
    }

    private static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static bool TryParseLong(string value, long minimum, out long parsed) =>
        long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out parsed) && parsed >= minimum;

    private static bool IsCleanupPolicy(string value, out string policy)
    {
        policy = value;
        return value.Split(',', StringSplitOptions.TrimEntries).All(p => p is "delete" or "compact");
    }

    private static bool IsTimestampType(string value, out bool logAppendTime)
    {
        logAppendTime = value == "LogAppendTime";
        return value is "CreateTime" or "LogAppendTime";
    }
}
