using Confluent.Kafka;
using CreditRisk.Testing.Kafka;

namespace CreditRisk.DevBroker.Tests;

/// <summary>Reads whole partitions without a consumer group, for assertions on what the log holds.</summary>
internal static class PartitionReader
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>All records of <paramref name="topic"/>/<paramref name="partition"/> from the low to the high watermark.</summary>
    public static List<ConsumeResult<string, string>> ReadAll(string bootstrapServers, string topic, int partition)
    {
        using var consumer = new ConsumerBuilder<string, string>(KafkaTestConfigs.Consumer(bootstrapServers, TopicNames.Unique("reader"))).Build();
        var topicPartition = new TopicPartition(topic, partition);
        var watermarks = consumer.QueryWatermarkOffsets(topicPartition, Deadline);
        return consumer.ReadPartition(topicPartition, Offset.Beginning, watermarks.High.Value, Deadline);
    }
}
