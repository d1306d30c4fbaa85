using Confluent.Kafka;

namespace CreditRisk.Messaging.Tests.Support;

/// <summary>Reads a topic's records directly (no group), to check what the library wrote.</summary>
public static class TopicReader
{
    /// <summary>Reads partitions 0..partitions-1 from the start until <paramref name="expected"/> records or the deadline.</summary>
    public static List<ConsumeResult<byte[]?, byte[]?>> Read(string bootstrapServers, string topic, int expected, TimeSpan timeout, int partitions = 1)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "reader-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            AllowAutoCreateTopics = true,
        }).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var records = new List<ConsumeResult<byte[]?, byte[]?>>();
        var deadline = DateTime.UtcNow + timeout;
        while (records.Count < expected && DateTime.UtcNow < deadline)
        {
            var record = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (record is not null && !record.IsPartitionEOF)
            {
                records.Add(record);
            }
        }
        consumer.Close();
        return records;
    }

    public static string Header(this ConsumeResult<byte[]?, byte[]?> record, string name) =>
        record.Message.Headers.TryGetLastBytes(name, out var bytes) ? System.Text.Encoding.UTF8.GetString(bytes) : "";
}
