using System.Text;
using Confluent.Kafka;
using CreditRisk.Testing.Kafka;
using Xunit;

namespace CreditRisk.DevBroker.Tests;

public sealed class ProduceConsumeRoundTripTests(DevBrokerFixture broker) : IClassFixture<DevBrokerFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Records_come_back_with_their_keys_values_headers_and_create_timestamps()
    {
        var topic = await broker.CreateUniqueTopicAsync("round-trip", partitions: 3);
        var baseTime = DateTimeOffset.UtcNow.AddDays(-3).ToUnixTimeMilliseconds();
        var sent = Enumerable.Range(0, 30).Select(i => new Message<string, string>
        {
            Key = $"key-{i}",
            Value = $"value-{i}-{new string('x', i * 7)}",
            Timestamp = new Timestamp(baseTime + (i * 1_000), TimestampType.CreateTime),
            Headers = new Headers
            {
                { "trace-id", Encoding.UTF8.GetBytes($"trace-{i}") },
                { "index", BitConverter.GetBytes(i) },
                { "repeated", [1] },
                { "repeated", [2] },
            },
        }).ToList();

        using (var producer = broker.CreateProducer<string, string>())
        {
            foreach (var message in sent)
            {
                var report = await producer.ProduceAsync(topic, message, TestContext.Current.CancellationToken);
                Assert.Equal(PersistenceStatus.Persisted, report.Status);
            }
        }

        using var consumer = broker.CreateConsumer<string, string>(TopicNames.Unique("round-trip-group"));
        consumer.Subscribe(topic);
        var received = consumer.ConsumeUpTo(sent.Count, Deadline);

        Assert.Equal(sent.Count, received.Count);
        foreach (var result in received)
        {
            var index = int.Parse(result.Message.Key["key-".Length..], System.Globalization.CultureInfo.InvariantCulture);
            var expected = sent[index];
            Assert.Equal(expected.Value, result.Message.Value);
            Assert.Equal(TimestampType.CreateTime, result.Message.Timestamp.Type);
            Assert.Equal(expected.Timestamp.UnixTimestampMs, result.Message.Timestamp.UnixTimestampMs);
            Assert.Equal(
                expected.Headers.Select(h => (h.Key, Convert.ToHexString(h.GetValueBytes()))),
                result.Message.Headers.Select(h => (h.Key, Convert.ToHexString(h.GetValueBytes()))));
        }

        Assert.Equal(sent.Select(m => m.Key).Order(), received.Select(r => r.Message.Key).Order());
    }

    [Fact]
    public async Task Records_with_the_same_key_stay_in_one_partition_in_produce_order()
    {
        var topic = await broker.CreateUniqueTopicAsync("key-order", partitions: 4);
        using (var producer = broker.CreateProducer<string, string>())
        {
            for (var i = 0; i < 200; i++)
            {
                producer.Produce(topic, new Message<string, string> { Key = $"customer-{i % 5}", Value = i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture) });
            }

            Assert.Equal(0, producer.Flush(Deadline));
        }

        using var consumer = broker.CreateConsumer<string, string>(TopicNames.Unique("key-order-group"));
        consumer.Subscribe(topic);
        var received = consumer.ConsumeUpTo(200, Deadline);

        Assert.Equal(200, received.Count);
        foreach (var byKey in received.GroupBy(r => r.Message.Key))
        {
            Assert.Single(byKey.Select(r => r.Partition.Value).Distinct());
            var values = byKey.Select(r => r.Message.Value).ToList();
            Assert.Equal(values.Order(StringComparer.Ordinal), values);
            Assert.Equal(40, values.Count);
        }
    }

    [Fact]
    public async Task Null_keys_and_null_values_round_trip_as_null()
    {
        var topic = await broker.CreateUniqueTopicAsync("nulls");
        using (var producer = broker.CreateProducer<string?, string?>())
        {
            await producer.ProduceAsync(topic, new Message<string?, string?> { Key = null, Value = "no key" }, TestContext.Current.CancellationToken);
            await producer.ProduceAsync(topic, new Message<string?, string?> { Key = "tombstone", Value = null }, TestContext.Current.CancellationToken);
        }

        using var consumer = broker.CreateConsumer<string?, string?>(TopicNames.Unique("nulls-group"));
        consumer.Subscribe(topic);
        var received = consumer.ConsumeUpTo(2, Deadline);

        Assert.Equal(2, received.Count);
        Assert.Null(received[0].Message.Key);
        Assert.Equal("no key", received[0].Message.Value);
        Assert.Equal("tombstone", received[1].Message.Key);
        Assert.Null(received[1].Message.Value);
        Assert.Equal([0L, 1L], received.Select(r => r.Offset.Value));
    }

    [Fact]
    public async Task A_header_with_a_null_value_keeps_its_key_and_null_value()
    {
        var topic = await broker.CreateUniqueTopicAsync("null-header");
        using (var producer = broker.CreateProducer<string, string>())
        {
            await producer.ProduceAsync(
                topic,
                new Message<string, string> { Key = "k", Value = "v", Headers = new Headers { { "empty", null }, { "zero-length", [] } } },
                TestContext.Current.CancellationToken);
        }

        using var consumer = broker.CreateConsumer<string, string>(TopicNames.Unique("null-header-group"));
        consumer.Subscribe(topic);
        var headers = Assert.Single(consumer.ConsumeUpTo(1, Deadline)).Message.Headers;

        Assert.Equal(["empty", "zero-length"], headers.Select(h => h.Key));
        Assert.Null(headers[0].GetValueBytes());
        Assert.Empty(headers[1].GetValueBytes());
    }

    [Fact]
    public async Task A_consumer_whose_fetch_limits_are_smaller_than_a_batch_still_receives_every_record()
    {
        var topic = await broker.CreateUniqueTopicAsync("small-fetch");
        const int count = 500;
        using (var producer = broker.CreateProducer<string, string>(c =>
        {
            c.LingerMs = 50;
            c.BatchSize = 256 * 1024;
        }))
        {
            for (var i = 0; i < count; i++)
            {
                producer.Produce(topic, new Message<string, string> { Key = $"k{i}", Value = $"{i:D4}-{new string('s', 300)}" });
            }

            Assert.Equal(0, producer.Flush(Deadline));
        }

        using var consumer = broker.CreateConsumer<string, string>(TopicNames.Unique("small-fetch-group"), c =>
        {
            c.MaxPartitionFetchBytes = 1024;
            c.FetchMaxBytes = 1024;
            c.MessageMaxBytes = 1024;
        });
        consumer.Subscribe(topic);
        var received = consumer.ConsumeUpTo(count, Deadline);

        Assert.Equal(Enumerable.Range(0, count).Select(i => (long)i), received.Select(r => r.Offset.Value));
    }
}
