using System.Collections.Concurrent;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using CreditRisk.Testing.Kafka;
using Xunit;

namespace CreditRisk.DevBroker.Tests.Groups;

/// <summary>Committed offsets outlive the broker: a clean restart and a SIGKILL on the same data folder.</summary>
public sealed class CommittedOffsetDurabilityTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Committed_offsets_and_the_group_survive_a_broker_restart_on_the_same_data_folder()
    {
        using var data = new TemporaryDirectory("group-offsets-restart");
        var topic = TopicNames.Unique("offsets-restart");
        var groupId = TopicNames.Unique("offsets-restart");
        Dictionary<int, long> committed;

        await using (var broker = await InProcessDevBroker.StartAsync(dataDirectory: data.Path, cancellationToken: TestContext.Current.CancellationToken))
        {
            using var admin = new AdminClientBuilder(KafkaTestConfigs.Admin(broker.BootstrapServers)).Build();
            await admin.CreateTopicAsync(topic, partitions: 3);
            Produce(broker.BootstrapServers, topic, partitions: 3, perPartition: 20);

            using var consumer = new ConsumerBuilder<string, string>(KafkaTestConfigs.Consumer(broker.BootstrapServers, groupId)).Build();
            consumer.Subscribe(topic);
            var consumed = consumer.ConsumeUpTo(25, Deadline);
            Assert.Equal(25, consumed.Count);
            foreach (var result in consumed)
            {
                consumer.Commit(result);
            }
            committed = consumed
                .GroupBy(r => r.Partition.Value)
                .ToDictionary(p => p.Key, p => p.Max(r => r.Offset.Value) + 1);
            consumer.Close();
        }

        await using (var broker = await InProcessDevBroker.StartAsync(dataDirectory: data.Path, cancellationToken: TestContext.Current.CancellationToken))
        {
            using var admin = new AdminClientBuilder(KafkaTestConfigs.Admin(broker.BootstrapServers)).Build();
            Assert.Equal(committed, await ReadCommittedAsync(admin, groupId));

            var listed = await admin.ListConsumerGroupsAsync();
            var listing = Assert.Single(listed.Valid, g => g.GroupId == groupId);
            Assert.Equal(ConsumerGroupState.Empty, listing.State);

            // A member of the restarted group continues exactly where the commits left off.
            using var consumer = new ConsumerBuilder<string, string>(KafkaTestConfigs.Consumer(broker.BootstrapServers, groupId)).Build();
            consumer.Subscribe(topic);
            var resumed = consumer.ConsumeUpTo(60 - 25, Deadline);
            Assert.Equal(60 - 25, resumed.Count);
            foreach (var partition in resumed.GroupBy(r => r.Partition.Value))
            {
                Assert.Equal(committed.GetValueOrDefault(partition.Key, 0), partition.Min(r => r.Offset.Value));
            }
            consumer.Close();
        }
    }

    /// <summary>
    /// The broker process is killed while a consumer commits after every record. Every commit the broker
    /// acknowledged must be there after the restart; a commit in flight at the kill may or may not be.
    /// </summary>
    [Fact]
    public async Task Acknowledged_commits_survive_a_broker_kill()
    {
        using var data = new TemporaryDirectory("group-offsets-kill");
        const int partitions = 2;
        var topic = TopicNames.Unique("offsets-kill");
        var groupId = TopicNames.Unique("offsets-kill");
        var broker = await DevBrokerProcess.StartAsync(data.Path);
        try
        {
            using (var admin = new AdminClientBuilder(KafkaTestConfigs.Admin(broker.BootstrapServers)).Build())
            {
                await admin.CreateTopicAsync(topic, partitions);
            }
            Produce(broker.BootstrapServers, topic, partitions, perPartition: 5_000);

            var acknowledged = new ConcurrentDictionary<int, long>();
            var attempted = new ConcurrentDictionary<int, long>();
            var acknowledgedCount = 0;
            using var stop = new CancellationTokenSource();
            var committing = Task.Factory.StartNew(
                () =>
                {
                    // Manual assignment: generation -1 "simple" commits, so the kill cannot fail them for group reasons.
                    var config = KafkaTestConfigs.Consumer(broker.BootstrapServers, groupId);
                    config.SocketTimeoutMs = 2_000;
                    using var consumer = new ConsumerBuilder<string, string>(config).Build();
                    consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
                    while (!stop.IsCancellationRequested)
                    {
                        ConsumeResult<string, string>? result;
                        try
                        {
                            result = consumer.Consume(TimeSpan.FromMilliseconds(100));
                        }
                        catch (ConsumeException)
                        {
                            continue;
                        }
                        if (result is null)
                        {
                            continue;
                        }
                        var partition = result.Partition.Value;
                        attempted[partition] = result.Offset.Value + 1;
                        try
                        {
                            consumer.Commit(result);
                            acknowledged[partition] = result.Offset.Value + 1;
                            Interlocked.Increment(ref acknowledgedCount);
                        }
                        catch (KafkaException)
                        {
                            // The broker is gone: this commit's fate is unknown, which the assertion allows.
                        }
                    }
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default);

            await Eventually.ThatAsync(() => Volatile.Read(ref acknowledgedCount) >= 300, Deadline, "300 acknowledged commits");
            broker.Kill();
            // Nothing can be acknowledged between the kill and the restart, so this is every pre-kill acknowledgement.
            var acknowledgedBeforeKill = new Dictionary<int, long>(acknowledged);
            await stop.CancelAsync();

            // The committer may be blocked in a commit that librdkafka retries until the broker is back.
            broker = await broker.RestartAsync();
            await committing.WaitAsync(Deadline, TestContext.Current.CancellationToken);

            using var restartedAdmin = new AdminClientBuilder(KafkaTestConfigs.Admin(broker.BootstrapServers)).Build();
            var recovered = await ReadCommittedAsync(restartedAdmin, groupId);
            Assert.NotEmpty(acknowledgedBeforeKill);
            foreach (var (partition, offset) in acknowledgedBeforeKill)
            {
                Assert.InRange(recovered.GetValueOrDefault(partition, -1), offset, attempted[partition]);
            }
        }
        finally
        {
            await broker.DisposeAsync();
        }
    }

    private static void Produce(string bootstrapServers, string topic, int partitions, int perPartition)
    {
        using var producer = new ProducerBuilder<string, string>(KafkaTestConfigs.Producer(bootstrapServers)).Build();
        for (var i = 0; i < perPartition; i++)
        {
            for (var partition = 0; partition < partitions; partition++)
            {
                producer.Produce(new Confluent.Kafka.TopicPartition(topic, partition), new Message<string, string> { Key = $"k{i}", Value = $"v{i}" });
            }
        }
        Assert.Equal(0, producer.Flush(Deadline));
    }

    private static async Task<Dictionary<int, long>> ReadCommittedAsync(IAdminClient admin, string groupId)
    {
        var results = await admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions(groupId, null)]);
        return Assert.Single(results).Partitions
            .Where(p => p.Offset.Value >= 0)
            .ToDictionary(p => p.Partition.Value, p => p.Offset.Value);
    }
}
