using Google.Protobuf.Reflection;

namespace CreditRisk.Contracts.Topics;

/// <summary>
/// One Kafka topic: what its records are keyed by, what their values are, and how it is provisioned.
/// </summary>
/// <param name="Name">Topic name, versioned with its value's schema package (".v1").</param>
/// <param name="Key">The record key: the envelope's entity key, and which id that is.</param>
/// <param name="ValueType">The Protobuf message every record value holds; null for a topic of several types, whose
/// records each name theirs in the message-type header.</param>
/// <param name="Partitions">Partition count at creation; the unit of consumer parallelism.</param>
/// <param name="CleanupPolicy">Kafka cleanup.policy.</param>
/// <param name="Retention">retention.ms; null keeps records forever.</param>
/// <param name="Role">Events or dead letters.</param>
public sealed record TopicDefinition(
    string Name,
    string Key,
    MessageDescriptor? ValueType,
    int Partitions,
    CleanupPolicy CleanupPolicy,
    TimeSpan? Retention,
    TopicRole Role = TopicRole.Events)
{
    public const string DeadLetterSuffix = ".dlq";

    /// <summary>Where records of this topic go when they cannot be handled.</summary>
    public string DeadLetterTopicName => Name + DeadLetterSuffix;

    /// <summary>The topic configs to create it with (Kafka config names).</summary>
    public IReadOnlyDictionary<string, string> Configs => new Dictionary<string, string>
    {
        ["cleanup.policy"] = CleanupPolicy switch
        {
            CleanupPolicy.Compact => "compact",
            CleanupPolicy.CompactDelete => "compact,delete",
            _ => "delete",
        },
        ["retention.ms"] = Retention is { } retention ? ((long)retention.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture) : "-1",
    };

    /// <summary>The dead-letter topic of this one: same key and value type, kept longer, one partition.</summary>
    public TopicDefinition ToDeadLetter() =>
        new(DeadLetterTopicName, Key, ValueType, Partitions: 1, CleanupPolicy.Delete, TimeSpan.FromDays(30), TopicRole.DeadLetter);
}
