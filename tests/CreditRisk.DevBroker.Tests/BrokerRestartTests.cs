using Confluent.Kafka;
using Confluent.Kafka.Admin;
using CreditRisk.Testing.Kafka;
using Xunit;

namespace CreditRisk.DevBroker.Tests;

/// <summary>A graceful stop and a new in-process broker on the same data folder.</summary>
public sealed class BrokerRestartTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Topics_configs_records_and_deleted_record_ranges_survive_a_restart()
    {
        using var data = new TemporaryDirectory("devbroker-restart");
        var topic = TopicNames.Unique("restart");
        var ct = TestContext.Current.CancellationToken;

        await using (var broker = await InProcessDevBroker.StartAsync(dataDirectory: data.Path, cancellationToken: ct))
        {
            using var admin = new AdminClientBuilder(KafkaTestConfigs.Admin(broker.BootstrapServers)).Build();
            await admin.CreateTopicAsync(topic, 3, new Dictionary<string, string> { ["retention.ms"] = "123456789" });
            using (var producer = new ProducerBuilder<string, string>(KafkaTestConfigs.Producer(broker.BootstrapServers)).Build())
            {
                for (var i = 0; i < 90; i++)
                {
                    producer.Produce(new TopicPartition(topic, i % 3), new Message<string, string> { Key = $"k{i}", Value = $"v{i}" });
                }

                Assert.Equal(0, producer.Flush(Deadline));
            }

            await admin.DeleteRecordsAsync([new TopicPartitionOffset(topic, 1, 7)]);
        }

        await using (var broker = await InProcessDevBroker.StartAsync(dataDirectory: data.Path, cancellationToken: ct))
        {
            using var admin = new AdminClientBuilder(KafkaTestConfigs.Admin(broker.BootstrapServers)).Build();
            await admin.WaitForTopicAsync(topic, 3, Deadline);
            var described = await admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = topic }]);
            Assert.Equal("123456789", Assert.Single(described).Entries["retention.ms"].Value);

            using var consumer = new ConsumerBuilder<string, string>(KafkaTestConfigs.Consumer(broker.BootstrapServers, TopicNames.Unique("restart-reader"))).Build();
            for (var partition = 0; partition < 3; partition++)
            {
                var watermarks = consumer.QueryWatermarkOffsets(new TopicPartition(topic, partition), Deadline);
                var expectedLow = partition == 1 ? 7 : 0;
                Assert.Equal((expectedLow, 30L), (watermarks.Low.Value, watermarks.High.Value));

                var records = PartitionReader.ReadAll(broker.BootstrapServers, topic, partition);
                Assert.Equal(
                    Enumerable.Range(expectedLow, 30 - expectedLow).Select(i => $"v{(i * 3) + partition}"),
                    records.Select(r => r.Message.Value));
            }

            // Appends continue after the recovered end.
            using var producer = new ProducerBuilder<string, string>(KafkaTestConfigs.Producer(broker.BootstrapServers)).Build();
            var report = await producer.ProduceAsync(new TopicPartition(topic, 2), new Message<string, string> { Key = "after", Value = "restart" }, ct);
            Assert.Equal(30, report.Offset.Value);
        }
    }
}
