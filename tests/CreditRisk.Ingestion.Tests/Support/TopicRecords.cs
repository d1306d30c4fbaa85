using System.Text;
using Confluent.Kafka;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Contracts.Topics;
using CreditRisk.Messaging;
using Google.Protobuf;

namespace CreditRisk.Ingestion.Tests.Support;

/// <summary>
/// Everything a topic holds right now: every partition read from the start to its high watermark.
/// Publishing completes on the broker's ack, so after a Submit returns its record is already counted.
/// </summary>
public static class TopicRecords
{
    public static List<ConsumeResult<byte[]?, byte[]?>> ReadAll(string bootstrapServers, TopicDefinition topic)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "reader-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            EnablePartitionEof = true,
        }).Build();
        var records = new List<ConsumeResult<byte[]?, byte[]?>>();
        var ends = new Dictionary<int, long>();
        for (var partition = 0; partition < topic.Partitions; partition++)
        {
            var watermarks = consumer.QueryWatermarkOffsets(new TopicPartition(topic.Name, partition), TimeSpan.FromSeconds(10));
            if (watermarks.High.Value > watermarks.Low.Value)
            {
                ends[partition] = watermarks.High.Value;
            }
        }
        if (ends.Count == 0)
        {
            return records;
        }
        consumer.Assign(ends.Keys.Select(partition => new TopicPartitionOffset(topic.Name, partition, Offset.Beginning)));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var done = new HashSet<int>();
        while (done.Count < ends.Count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"could not read {topic.Name} to its end");
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

    /// <summary>The records of <paramref name="topic"/> whose event-id header is <paramref name="eventId"/>.</summary>
    public static List<ConsumeResult<byte[]?, byte[]?>> WithEventId(string bootstrapServers, TopicDefinition topic, string eventId) =>
        [.. ReadAll(bootstrapServers, topic).Where(record => Header(record, MessageHeaders.EventId) == eventId)];

    /// <summary>Counts of records per event id across the four raw topics.</summary>
    public static int CountAcrossRawTopics(string bootstrapServers, string eventId) =>
        new[] { TopicCatalogue.LoanApplications, TopicCatalogue.Transactions, TopicCatalogue.Repayments, TopicCatalogue.LoanOutcomes }
            .Sum(topic => WithEventId(bootstrapServers, topic, eventId).Count);

    public static string Header(ConsumeResult<byte[]?, byte[]?> record, string name) =>
        record.Message.Headers.TryGetLastBytes(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : "";

    public static string Key(ConsumeResult<byte[]?, byte[]?> record) => Encoding.UTF8.GetString(record.Message.Key ?? []);

    public static TEvent Parse<TEvent>(ConsumeResult<byte[]?, byte[]?> record) where TEvent : IIntegrationEvent, new()
    {
        var @event = new TEvent();
        @event.MergeFrom(record.Message.Value);
        return @event;
    }
}
