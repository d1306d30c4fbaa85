using System.Text;
using Confluent.Kafka;
using CreditRisk.Testing.Kafka;
using Google.Protobuf;

namespace CreditRisk.Registry.Tests.Support;

/// <summary>Reads a whole topic up to its current end (no group, no commits) and parses the values.</summary>
public static class TopicRecords
{
    public static List<(string EventIdHeader, T Event)> ReadAll<T>(string bootstrapServers, string topic, MessageParser<T> parser)
        where T : IMessage<T>
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(KafkaTestConfigs.Consumer(bootstrapServers, "reader-" + Guid.NewGuid().ToString("N"))).Build();
        var metadata = new AdminClientBuilder(KafkaTestConfigs.Admin(bootstrapServers)).Build();
        int partitions;
        using (metadata)
        {
            partitions = metadata.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Count;
        }
        var records = new List<(string, T)>();
        for (var partition = 0; partition < partitions; partition++)
        {
            var topicPartition = new TopicPartition(topic, partition);
            var end = consumer.QueryWatermarkOffsets(topicPartition, TimeSpan.FromSeconds(10)).High.Value;
            if (end == 0)
            {
                continue;
            }
            consumer.Assign(new TopicPartitionOffset(topicPartition, Offset.Beginning));
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (DateTime.UtcNow < deadline)
            {
                var record = consumer.Consume(TimeSpan.FromMilliseconds(500));
                if (record is null || record.IsPartitionEOF)
                {
                    continue;
                }
                var eventId = record.Message.Headers.TryGetLastBytes("event-id", out var bytes) ? Encoding.UTF8.GetString(bytes) : "";
                records.Add((eventId, parser.ParseFrom(record.Message.Value)));
                if (record.Offset.Value >= end - 1)
                {
                    break;
                }
            }
            consumer.Unassign();
        }
        return records;
    }
}
