using Confluent.Kafka;
using CreditRisk.Testing.Kafka;
using Xunit;

namespace CreditRisk.DevBroker.Tests;

public sealed class RetentionTests
{
    private const long SegmentBytes = 16 * 1024;
    private const long RetentionBytes = 64 * 1024;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Retention_by_size_deletes_the_oldest_segments_and_keeps_the_newest_records()
    {
        await using var broker = await InProcessDevBroker.StartAsync(directory => new BrokerOptions
        {
            DataDirectory = directory,
            Port = 0,
            SegmentBytes = SegmentBytes,
            RetentionBytes = RetentionBytes,
            RetentionCheckInterval = TimeSpan.FromMilliseconds(200),
        },
        cancellationToken: TestContext.Current.CancellationToken);
        var topic = TopicNames.Unique("retention");
        var partition = new TopicPartition(topic, 0);
        using (var admin = new AdminClientBuilder(KafkaTestConfigs.Admin(broker.BootstrapServers)).Build())
        {
            await admin.CreateTopicAsync(topic);
        }

        const int count = 3_000;
        var config = KafkaTestConfigs.Producer(broker.BootstrapServers);
        config.BatchSize = 4 * 1024;
        config.LingerMs = 1;
        using (var producer = new ProducerBuilder<string, string>(config).Build())
        {
            for (var i = 0; i < count; i++)
            {
                producer.Produce(partition, new Message<string, string> { Key = $"key-{i}", Value = $"{i:D6}-{new string('r', 200)}" });
            }

            Assert.Equal(0, producer.Flush(Deadline));
        }

        using var consumer = new ConsumerBuilder<string, string>(KafkaTestConfigs.Consumer(broker.BootstrapServers, TopicNames.Unique("retention-group"))).Build();
        var partitionDirectory = Assert.Single(Directory.GetDirectories(broker.DataDirectory, $"{topic}-0", SearchOption.AllDirectories));
        long SegmentFileBytes() => Directory.GetFiles(partitionDirectory, "*.log").Sum(f => new FileInfo(f).Length);

        WatermarkOffsets watermarks = new(Offset.Unset, Offset.Unset);
        await Eventually.ThatAsync(
            () =>
            {
                watermarks = consumer.QueryWatermarkOffsets(partition, Deadline);
                return watermarks.Low.Value > 0 && SegmentFileBytes() <= RetentionBytes + (2 * SegmentBytes);
            },
            Deadline,
            "retention to delete old segments");

        Assert.Equal(count, watermarks.High.Value);
        var oldestSegment = Directory.GetFiles(partitionDirectory, "*.log").Min(f => long.Parse(Path.GetFileNameWithoutExtension(f), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(oldestSegment, watermarks.Low.Value);

        // What is left is intact: contiguous offsets from the new low watermark to the end, with their values.
        var remaining = consumer.ReadPartition(partition, Offset.Beginning, count, Deadline);
        Assert.Equal(
            Enumerable.Range((int)watermarks.Low.Value, count - (int)watermarks.Low.Value).Select(i => (long)i),
            remaining.Select(r => r.Offset.Value));
        Assert.All(remaining, r => Assert.StartsWith($"{r.Offset.Value:D6}-", r.Message.Value, StringComparison.Ordinal));
    }
}
