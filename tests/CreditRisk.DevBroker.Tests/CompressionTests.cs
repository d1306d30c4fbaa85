using Confluent.Kafka;
using CreditRisk.Testing.Kafka;
using Xunit;

namespace CreditRisk.DevBroker.Tests;

public sealed class CompressionTests(DevBrokerFixture broker) : IClassFixture<DevBrokerFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public async Task Compressed_batches_round_trip(CompressionType compression)
    {
        var topic = await broker.CreateUniqueTopicAsync($"compressed-{compression}", partitions: 2);
        const int count = 2_000;
        var random = new Random(42);
        string ValueFor(int i) => $"{i:D6}|{new string((char)('a' + (i % 26)), 50 + random.Next(200))}|{random.Next()}";
        var values = Enumerable.Range(0, count).Select(ValueFor).ToList();

        using (var producer = broker.CreateProducer<string, string>(c =>
        {
            c.CompressionType = compression;
            c.LingerMs = 20;
            c.BatchSize = 64 * 1024;
        }))
        {
            for (var i = 0; i < count; i++)
            {
                producer.Produce(topic, new Message<string, string>
                {
                    Key = $"key-{i % 10}",
                    Value = values[i],
                    Headers = new Headers { { "i", BitConverter.GetBytes(i) } },
                });
            }

            Assert.Equal(0, producer.Flush(Deadline));
        }

        using var consumer = broker.CreateConsumer<string, string>(TopicNames.Unique("compressed-group"));
        consumer.Subscribe(topic);
        var received = consumer.ConsumeUpTo(count, Deadline);

        Assert.Equal(count, received.Count);
        Assert.Equal(values.Order(StringComparer.Ordinal), received.Select(r => r.Message.Value).Order(StringComparer.Ordinal));
        Assert.All(received, r => Assert.Equal(values[BitConverter.ToInt32(r.Message.Headers.GetLastBytes("i"))], r.Message.Value));
        foreach (var partition in received.GroupBy(r => r.Partition.Value))
        {
            // Offsets inside compressed batches are contiguous and start at 0.
            Assert.Equal(Enumerable.Range(0, partition.Count()).Select(i => (long)i), partition.Select(r => r.Offset.Value));
        }
    }
}
