using System.Collections.Concurrent;
using System.Globalization;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using CreditRisk.Testing.Kafka;
using Xunit;

namespace CreditRisk.DevBroker.Tests.Groups;

/// <summary>Consumer groups as Confluent.Kafka (librdkafka) uses them against the dev broker.</summary>
public sealed class ConsumerGroupTests(DevBrokerFixture broker) : IClassFixture<DevBrokerFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public static TheoryData<PartitionAssignmentStrategy> AssignmentStrategies =>
        [PartitionAssignmentStrategy.Range, PartitionAssignmentStrategy.RoundRobin, PartitionAssignmentStrategy.CooperativeSticky];

    [Theory]
    [MemberData(nameof(AssignmentStrategies))]
    public async Task Three_consumers_share_six_partitions_and_the_remaining_two_take_over_when_one_leaves(PartitionAssignmentStrategy strategy)
    {
        var topic = await broker.CreateUniqueTopicAsync("group-share", partitions: 6);
        var groupId = TopicNames.Unique("group-share");
        var consumers = Enumerable.Range(1, 3)
            .Select(i => new SubscribedConsumer($"consumer-{i}", Config(groupId, strategy), topic))
            .ToList();
        try
        {
            await WaitUntilAsync(
                () => CoverAllPartitionsEvenly(consumers, partitions: 6),
                () => $"3 {strategy} consumers to own 2 distinct partitions each ({Describe(consumers)})");

            var leaving = consumers[2];
            consumers.RemoveAt(2);
            await leaving.DisposeAsync();

            await WaitUntilAsync(
                () => CoverAllPartitionsEvenly(consumers, partitions: 6),
                () => $"the 2 remaining {strategy} consumers to own 3 distinct partitions each ({Describe(consumers)})");
        }
        finally
        {
            foreach (var consumer in consumers)
            {
                await consumer.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// At-least-once delivery made exact at commit boundaries: a record counts as processed only once the
    /// consumer's synchronous commit of its offset succeeded. A record whose commit is rejected (a rebalance
    /// moved the generation on) is not counted; the consumer seeks back to it, so whoever owns the partition
    /// after the rebalance (this consumer, or the new owner starting from the committed offset) processes it
    /// again. If the coordinator lost a commit, accepted a stale member's commit, or handed a partition to two
    /// members at once, some key would be counted twice or never.
    /// </summary>
    [Theory]
    [MemberData(nameof(AssignmentStrategies))]
    public async Task Committed_records_are_processed_exactly_once_when_a_member_leaves_midway(PartitionAssignmentStrategy strategy)
    {
        const int recordCount = 1_200;
        const int leaverQuota = 60;
        var topic = await broker.CreateUniqueTopicAsync("exactly-once", partitions: 6);
        var groupId = TopicNames.Unique("exactly-once");

        var processed = new ConcurrentDictionary<string, ConcurrentBag<string>>();
        var failedCommits = 0;
        bool Process(string member, IConsumer<string, string> consumer, ConsumeResult<string, string> result)
        {
            try
            {
                consumer.Commit(result);
            }
            catch (KafkaException)
            {
                // Not committed, so not processed: rewind so the record is delivered again.
                Interlocked.Increment(ref failedCommits);
                Rewind(consumer, result.TopicPartitionOffset);
                return false;
            }
            processed.GetOrAdd(result.Message.Key, _ => []).Add(member);
            return true;
        }

        var leaverProcessed = 0;
        SubscribedConsumer? leaver = null;
        var consumers = new List<SubscribedConsumer>
        {
            new("stayer-1", Config(groupId, strategy), topic, (c, r) => Process("stayer-1", c, r)),
            new("stayer-2", Config(groupId, strategy), topic, (c, r) => Process("stayer-2", c, r)),
        };
        leaver = new SubscribedConsumer("leaver", Config(groupId, strategy), topic, (c, r) =>
        {
            if (Volatile.Read(ref leaverProcessed) >= leaverQuota)
            {
                return; // Stopping: the record is uncommitted, so the partition's next owner gets it.
            }
            if (Process("leaver", c, r) && Interlocked.Increment(ref leaverProcessed) == leaverQuota)
            {
                leaver!.RequestStop();
            }
        });
        consumers.Add(leaver);
        try
        {
            // Produce only once every member owns partitions, so the leaver really has work to hand over.
            await WaitUntilAsync(() => CoverAllPartitionsEvenly(consumers, partitions: 6), () => $"a stable group ({Describe(consumers)})");
            using (var producer = broker.CreateProducer<string, string>())
            {
                for (var i = 0; i < recordCount; i++)
                {
                    var key = $"record-{i.ToString("D5", CultureInfo.InvariantCulture)}";
                    producer.Produce(topic, new Message<string, string> { Key = key, Value = key });
                }
                Assert.Equal(0, producer.Flush(Deadline));
            }

            await WaitUntilAsync(
                () => processed.Count == recordCount || processed.Values.Any(members => members.Count > 1),
                () => $"all {recordCount} records to be processed (so far {processed.Count}, leaver {Volatile.Read(ref leaverProcessed)}, "
                    + $"{Volatile.Read(ref failedCommits)} rejected commits, {Describe(consumers)})");
            Assert.True(leaver.IsStopped, "the leaver should have left after its quota");
        }
        finally
        {
            foreach (var consumer in consumers)
            {
                await consumer.DisposeAsync();
            }
        }

        var duplicates = processed.Where(entry => entry.Value.Count > 1).Select(entry => $"{entry.Key} by {string.Join('+', entry.Value)}").ToList();
        Assert.Empty(duplicates);
        Assert.Equal(recordCount, processed.Count);
        Assert.Equal(leaverQuota, processed.Values.Count(members => members.Contains("leaver")));
        Assert.True(processed.Values.Count(members => members.Contains("stayer-1")) > 0, "stayer-1 processed nothing");
        Assert.True(processed.Values.Count(members => members.Contains("stayer-2")) > 0, "stayer-2 processed nothing");
        TestContext.Current.SendDiagnosticMessage($"{strategy}: {failedCommits} commits were rejected during rebalances");
    }

    [Fact]
    public async Task Admin_client_lists_describes_and_deletes_the_group()
    {
        var topic = await broker.CreateUniqueTopicAsync("group-admin", partitions: 4);
        var groupId = TopicNames.Unique("group-admin");
        var consumers = Enumerable.Range(1, 2)
            .Select(i => new SubscribedConsumer($"admin-{i}", Config(groupId, PartitionAssignmentStrategy.Range), topic))
            .ToList();
        try
        {
            await WaitUntilAsync(() => CoverAllPartitionsEvenly(consumers, partitions: 4), () => $"a stable group ({Describe(consumers)})");

            var listed = await broker.Admin.ListConsumerGroupsAsync(new ListConsumerGroupsOptions { RequestTimeout = TimeSpan.FromSeconds(10) });
            var listing = Assert.Single(listed.Valid, g => g.GroupId == groupId);
            Assert.Equal(ConsumerGroupState.Stable, listing.State);
            Assert.False(listing.IsSimpleConsumerGroup);

            var stableOnly = await broker.Admin.ListConsumerGroupsAsync(new ListConsumerGroupsOptions { MatchStates = [ConsumerGroupState.Empty] });
            Assert.DoesNotContain(stableOnly.Valid, g => g.GroupId == groupId);

            var described = await broker.Admin.DescribeConsumerGroupsAsync([groupId]);
            var group = Assert.Single(described.ConsumerGroupDescriptions);
            Assert.Equal(ErrorCode.NoError, group.Error.Code);
            Assert.Equal(ConsumerGroupState.Stable, group.State);
            Assert.Equal("range", group.PartitionAssignor);
            Assert.Equal(2, group.Members.Count);
            Assert.All(group.Members, member =>
            {
                Assert.Equal(KafkaTestConfigs.Consumer(broker.BootstrapServers, groupId).ClientId, member.ClientId);
                Assert.Equal(2, member.Assignment.TopicPartitions.Count);
            });
            Assert.Equal(
                Enumerable.Range(0, 4),
                group.Members.SelectMany(m => m.Assignment.TopicPartitions).Select(tp => tp.Partition.Value).Order());

            await Assert.ThrowsAsync<DeleteGroupsException>(() => broker.Admin.DeleteGroupsAsync([groupId]));
        }
        finally
        {
            foreach (var consumer in consumers)
            {
                await consumer.DisposeAsync();
            }
        }

        await Eventually.ThatAsync(
            async () => (await broker.Admin.DescribeConsumerGroupsAsync([groupId])).ConsumerGroupDescriptions.Single().State == ConsumerGroupState.Empty,
            Deadline,
            "the group to become empty once its consumers closed");
        await broker.Admin.DeleteGroupsAsync([groupId]);
        var afterDelete = await broker.Admin.ListConsumerGroupsAsync();
        Assert.DoesNotContain(afterDelete.Valid, g => g.GroupId == groupId);
    }

    [Fact]
    public async Task A_new_member_resumes_from_the_committed_offsets_of_the_group()
    {
        var topic = await broker.CreateUniqueTopicAsync("group-resume", partitions: 2);
        var groupId = TopicNames.Unique("group-resume");
        using (var producer = broker.CreateProducer<string, string>())
        {
            for (var i = 0; i < 40; i++)
            {
                producer.Produce(new Confluent.Kafka.TopicPartition(topic, i % 2), new Message<string, string> { Key = $"k{i}", Value = $"v{i}" });
            }
            Assert.Equal(0, producer.Flush(Deadline));
        }

        using (var first = broker.CreateConsumer<string, string>(groupId))
        {
            first.Subscribe(topic);
            var consumed = first.ConsumeUpTo(10, Deadline);
            Assert.Equal(10, consumed.Count);
            first.Commit(consumed.GroupBy(r => r.Partition).Select(p => new TopicPartitionOffset(p.Last().TopicPartition, p.Last().Offset + 1)));
            first.Close();
        }

        var committed = await broker.Admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions(groupId, null)]);
        var offsets = Assert.Single(committed).Partitions.ToDictionary(p => p.Partition.Value, p => p.Offset.Value);
        Assert.Equal(10, offsets.Values.Sum());

        using var second = broker.CreateConsumer<string, string>(groupId);
        second.Subscribe(topic);
        var resumed = second.ConsumeUpTo(30, Deadline);
        Assert.Equal(30, resumed.Count);
        foreach (var partition in resumed.GroupBy(r => r.Partition.Value))
        {
            // A partition the first member never committed starts at the earliest offset (auto.offset.reset).
            Assert.Equal(offsets.GetValueOrDefault(partition.Key, 0), partition.First().Offset.Value);
        }
        second.Close();
    }

    private ConsumerConfig Config(string groupId, PartitionAssignmentStrategy strategy)
    {
        var config = broker.ConsumerConfig(groupId);
        config.PartitionAssignmentStrategy = strategy;
        // Members learn about a rebalance from heartbeat responses; beat often so tests converge quickly.
        config.HeartbeatIntervalMs = 250;
        return config;
    }

    /// <summary>Polls until <paramref name="condition"/> holds; on timeout <paramref name="what"/> describes the state at that moment.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition, Func<string> what)
    {
        try
        {
            await Eventually.ThatAsync(condition, Deadline, "the condition");
        }
        catch (TimeoutException timeout)
        {
            throw new TimeoutException($"Waited {Deadline.TotalSeconds:0} s for {what()}.", timeout);
        }
    }

    private static void Rewind(IConsumer<string, string> consumer, TopicPartitionOffset record)
    {
        try
        {
            consumer.Seek(record);
        }
        catch (KafkaException)
        {
            // The partition was revoked meanwhile; its next owner starts from the committed offset anyway.
        }
    }

    private static bool CoverAllPartitionsEvenly(IReadOnlyList<SubscribedConsumer> consumers, int partitions)
    {
        var assignments = consumers.Select(c => c.Assignment).ToList();
        var owned = assignments.SelectMany(a => a).ToList();
        return owned.Count == partitions
            && owned.Distinct().Count() == partitions
            && assignments.All(a => a.Count == partitions / consumers.Count);
    }

    private static string Describe(IEnumerable<SubscribedConsumer> consumers) => string.Join(" ", consumers);
}
