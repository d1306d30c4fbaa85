using System.Text;
using Confluent.Kafka;
using CreditRisk.Messaging;
using Google.Protobuf;

namespace CreditRisk.Testing.Kafka;

/// <summary>Reads a topic's records directly (no group, no commits), to check what a service or library wrote.</summary>
public static class TopicReader
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Everything the topic holds right now: every partition from its start to its high watermark, each partition's
    /// records in offset order. A publish completes on the broker's ack, so a record acknowledged before is counted.
    /// </summary>
    public static List<ConsumeResult<byte[]?, byte[]?>> ReadAll(string bootstrapServers, string topic)
    {
        var config = KafkaTestConfigs.Consumer(bootstrapServers, TopicNames.Unique("reader"));
        config.EnablePartitionEof = true;
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).Build();
        var ends = new Dictionary<int, long>();
        foreach (var partition in Partitions(bootstrapServers, topic))
        {
            var watermarks = consumer.QueryWatermarkOffsets(new TopicPartition(topic, partition), TimeSpan.FromSeconds(10));
            if (watermarks.High.Value > watermarks.Low.Value)
            {
                ends[partition] = watermarks.High.Value;
            }
        }
        var records = new List<ConsumeResult<byte[]?, byte[]?>>();
        if (ends.Count == 0)
        {
            return records;
        }
        consumer.Assign(ends.Keys.Select(partition => new TopicPartitionOffset(topic, partition, Offset.Beginning)));
        var deadline = DateTime.UtcNow + Deadline;
        var done = new HashSet<int>();
        while (done.Count < ends.Count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"could not read {topic} to its end");
            }
            var record = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (record is null)
            {
                continue;
            }
            if (!record.IsPartitionEOF)
            {
                records.Add(record);
            }
            if (record.Offset.Value + (record.IsPartitionEOF ? 0 : 1) >= ends[record.Partition.Value])
            {
                done.Add(record.Partition.Value);
            }
        }
        consumer.Close();
        return records;
    }

    /// <summary>Every record's value parsed, with its event-id header, each partition's records in offset order.</summary>
    public static List<(string EventIdHeader, T Event)> ReadEvents<T>(string bootstrapServers, string topic) where T : IMessage<T>, new() =>
        [.. ReadAll(bootstrapServers, topic).Select(record => (record.Header(MessageHeaders.EventId), record.Parse<T>()))];

    /// <summary>
    /// Reads partitions 0..<paramref name="partitions"/>-1 from their start until <paramref name="expected"/> records
    /// arrived or <paramref name="timeout"/> passed (fewer on timeout, so the caller's assertion shows what was missing).
    /// The topic need not exist yet.
    /// </summary>
    public static List<ConsumeResult<byte[]?, byte[]?>> ReadUpTo(string bootstrapServers, string topic, int expected, TimeSpan timeout, int partitions = 1)
    {
        var config = KafkaTestConfigs.Consumer(bootstrapServers, TopicNames.Unique("reader"));
        config.AllowAutoCreateTopics = true;
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(partition => new TopicPartitionOffset(topic, partition, Offset.Beginning)));
        var records = consumer.ConsumeUpTo(expected, timeout);
        consumer.Close();
        return records;
    }

    public static string Header(this ConsumeResult<byte[]?, byte[]?> record, string name) =>
        record.Message.Headers.TryGetLastBytes(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : "";

    public static string Key(this ConsumeResult<byte[]?, byte[]?> record) => Encoding.UTF8.GetString(record.Message.Key ?? []);

    public static T Parse<T>(this ConsumeResult<byte[]?, byte[]?> record) where T : IMessage<T>, new()
    {
        var message = new T();
        message.MergeFrom(record.Message.Value);
        return message;
    }

    private static IEnumerable<int> Partitions(string bootstrapServers, string topic)
    {
        using var admin = new AdminClientBuilder(KafkaTestConfigs.Admin(bootstrapServers)).Build();
        return [.. admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Select(partition => partition.PartitionId)];
    }
}
