using Confluent.Kafka;
using CreditRisk.Testing.Kafka;
using Xunit;

namespace CreditRisk.DevBroker.Tests;

public sealed class OffsetQueryTests(DevBrokerFixture broker) : IClassFixture<DevBrokerFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Watermarks_are_zero_for_an_empty_partition_and_track_appends()
    {
        var topic = await broker.CreateUniqueTopicAsync("watermarks");
        var partition = new TopicPartition(topic, 0);
        using var consumer = broker.CreateConsumer<string, string>(TopicNames.Unique("watermarks-group"));

        var empty = consumer.QueryWatermarkOffsets(partition, Deadline);
        Assert.Equal((0L, 0L), (empty.Low.Value, empty.High.Value));

        await ProduceAsync(topic, 25, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

        var filled = consumer.QueryWatermarkOffsets(partition, Deadline);
        Assert.Equal((0L, 25L), (filled.Low.Value, filled.High.Value));
    }

    [Fact]
    public async Task OffsetsForTimes_returns_the_first_offset_at_or_after_the_timestamp()
    {
        var topic = await broker.CreateUniqueTopicAsync("offsets-for-times");
        var partition = new TopicPartition(topic, 0);
        var baseTime = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeMilliseconds();
        await ProduceAsync(topic, 20, baseTime, stepMs: 1_000);
        using var consumer = broker.CreateConsumer<string, string>(TopicNames.Unique("offsets-for-times-group"));

        Offset OffsetFor(long timestamp) => Assert.Single(consumer.OffsetsForTimes(
            [new TopicPartitionTimestamp(partition, new Timestamp(timestamp, TimestampType.CreateTime))], Deadline)).Offset;

        Assert.Equal(0, OffsetFor(baseTime - 60_000).Value);
        Assert.Equal(0, OffsetFor(baseTime).Value);
        Assert.Equal(5, OffsetFor(baseTime + 5_000).Value);
        Assert.Equal(6, OffsetFor(baseTime + 5_001).Value);
        Assert.Equal(19, OffsetFor(baseTime + 19_000).Value);
        Assert.Equal(Offset.End, OffsetFor(baseTime + 19_001));
    }

    [Fact]
    public async Task Offset_reset_earliest_and_latest_start_at_the_watermarks()
    {
        var topic = await broker.CreateUniqueTopicAsync("reset");
        await ProduceAsync(topic, 10, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

        using var earliest = broker.CreateConsumer<string, string>(TopicNames.Unique("earliest"), c => c.AutoOffsetReset = AutoOffsetReset.Earliest);
        earliest.Subscribe(topic);
        Assert.Equal(0, Assert.Single(earliest.ConsumeUpTo(1, Deadline)).Offset.Value);

        using var latest = broker.CreateConsumer<string, string>(TopicNames.Unique("latest"), c => c.AutoOffsetReset = AutoOffsetReset.Latest);
        latest.Assign(new TopicPartitionOffset(topic, 0, Offset.End));

        // Keep appending until the consumer sees something: the first record it gets must be a new one, never offset 0.
        ConsumeResult<string, string>? first = null;
        var appended = 0;
        await Eventually.ThatAsync(
            async () =>
            {
                await ProduceAsync(topic, 1, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), valuePrefix: $"after{appended++}");
                first = latest.Consume(TimeSpan.FromSeconds(1));
                return first is not null;
            },
            Deadline,
            "the latest consumer to receive a new record");
        Assert.StartsWith("after", first!.Message.Value, StringComparison.Ordinal);
        Assert.True(first.Offset.Value >= 10, $"latest consumer started at {first.Offset}");
    }

    [Fact]
    public async Task ListOffsets_for_earliest_and_latest_returns_the_watermarks()
    {
        var topic = await broker.CreateUniqueTopicAsync("list-offsets");
        var partition = new TopicPartition(topic, 0);
        await ProduceAsync(topic, 7, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        using var consumer = broker.CreateConsumer<string, string>(TopicNames.Unique("list-offsets-group"));

        // librdkafka sends the special timestamps -2 (earliest) and -1 (latest) straight to ListOffsets.
        var offsets = consumer.OffsetsForTimes(
            [new TopicPartitionTimestamp(partition, new Timestamp(-2, TimestampType.CreateTime))], Deadline);
        Assert.Equal(0, Assert.Single(offsets).Offset.Value);
        offsets = consumer.OffsetsForTimes(
            [new TopicPartitionTimestamp(partition, new Timestamp(-1, TimestampType.CreateTime))], Deadline);
        Assert.Equal(7, Assert.Single(offsets).Offset.Value);
    }

    [Fact]
    public async Task DeleteRecords_advances_the_low_watermark_and_consumers_start_there()
    {
        var topic = await broker.CreateUniqueTopicAsync("delete-records");
        var partition = new TopicPartition(topic, 0);
        await ProduceAsync(topic, 30, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

        var result = await broker.Admin.DeleteRecordsAsync([new TopicPartitionOffset(partition, 12)]);

        Assert.Equal(12, Assert.Single(result).Offset.Value);
        using var consumer = broker.CreateConsumer<string, string>(TopicNames.Unique("delete-records-group"));
        var watermarks = consumer.QueryWatermarkOffsets(partition, Deadline);
        Assert.Equal((12L, 30L), (watermarks.Low.Value, watermarks.High.Value));

        consumer.Subscribe(topic);
        var records = consumer.ConsumeUpTo(18, Deadline);
        Assert.Equal(Enumerable.Range(12, 18).Select(i => (long)i), records.Select(r => r.Offset.Value));
        Assert.Equal("value-12", records[0].Message.Value);
    }

    private async Task ProduceAsync(string topic, int count, long firstTimestamp, long stepMs = 0, string valuePrefix = "value")
    {
        using var producer = broker.CreateProducer<string, string>();
        for (var i = 0; i < count; i++)
        {
            await producer.ProduceAsync(new TopicPartition(topic, 0), new Message<string, string>
            {
                Key = $"key-{i}",
                Value = $"{valuePrefix}-{i}",
                Timestamp = new Timestamp(firstTimestamp + (i * stepMs), TimestampType.CreateTime),
            },
            TestContext.Current.CancellationToken);
        }
    }
}
