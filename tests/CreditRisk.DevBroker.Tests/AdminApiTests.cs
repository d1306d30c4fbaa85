using Confluent.Kafka;
using Confluent.Kafka.Admin;
using CreditRisk.Testing.Kafka;
using Xunit;

namespace CreditRisk.DevBroker.Tests;

public sealed class AdminApiTests(DevBrokerFixture broker) : IClassFixture<DevBrokerFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task CreateTopics_creates_the_partitions_and_stores_the_configs()
    {
        var topic = TopicNames.Unique("admin-create");
        await broker.Admin.CreateTopicsAsync([new TopicSpecification
        {
            Name = topic,
            NumPartitions = 4,
            ReplicationFactor = 1,
            Configs = new Dictionary<string, string> { ["retention.ms"] = "3600000", ["cleanup.policy"] = "delete" },
        }]);
        await broker.Admin.WaitForTopicAsync(topic, 4, Deadline);

        var metadata = broker.Admin.GetMetadata(topic, Deadline);
        var topicMetadata = Assert.Single(metadata.Topics, t => t.Topic == topic);
        Assert.Equal([0, 1, 2, 3], topicMetadata.Partitions.Select(p => p.PartitionId).Order());
        var node = Assert.Single(metadata.Brokers);
        Assert.All(topicMetadata.Partitions, p => Assert.Equal(node.BrokerId, p.Leader));
        Assert.Equal(broker.Broker.Port, node.Port);

        var described = await broker.Admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = topic }]);
        var entries = Assert.Single(described).Entries;
        Assert.Equal("3600000", entries["retention.ms"].Value);
        Assert.Equal("delete", entries["cleanup.policy"].Value);
    }

    [Fact]
    public async Task CreateTopics_for_an_existing_topic_fails_with_TopicAlreadyExists()
    {
        var topic = await broker.CreateUniqueTopicAsync("admin-exists", partitions: 2);

        var error = await Assert.ThrowsAsync<CreateTopicsException>(() => broker.Admin.CreateTopicsAsync(
            [new TopicSpecification { Name = topic, NumPartitions = 5, ReplicationFactor = 1 }]));

        Assert.Equal(ErrorCode.TopicAlreadyExists, Assert.Single(error.Results).Error.Code);
        var metadata = broker.Admin.GetMetadata(topic, Deadline);
        Assert.Equal(2, Assert.Single(metadata.Topics).Partitions.Count);
    }

    [Fact]
    public async Task DeleteTopics_removes_the_topic_from_metadata()
    {
        var kept = await broker.CreateUniqueTopicAsync("admin-kept");
        var deleted = await broker.CreateUniqueTopicAsync("admin-deleted");
        using (var producer = broker.CreateProducer<string, string>())
        {
            await producer.ProduceAsync(deleted, new Message<string, string> { Key = "k", Value = "v" }, TestContext.Current.CancellationToken);
        }

        await broker.Admin.DeleteTopicsAsync([deleted]);

        await Eventually.ThatAsync(
            () => broker.Admin.GetMetadata(Deadline).Topics.All(t => t.Topic != deleted),
            Deadline,
            $"{deleted} to disappear from metadata");
        Assert.Contains(broker.Admin.GetMetadata(Deadline).Topics, t => t.Topic == kept);
    }

    [Fact]
    public async Task DescribeConfigs_on_the_broker_returns_its_settings()
    {
        var described = await broker.Admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Broker, Name = "0" }]);

        var result = Assert.Single(described);
        Assert.Equal(ResourceType.Broker, result.ConfigResource.Type);
        Assert.NotEmpty(result.Entries);
    }

    [Fact]
    public async Task A_group_that_committed_is_listed_and_its_offsets_are_returned()
    {
        var topic = await broker.CreateUniqueTopicAsync("admin-groups", partitions: 2);
        var group = TopicNames.Unique("admin-group");
        using (var producer = broker.CreateProducer<string, string>())
        {
            for (var i = 0; i < 10; i++)
            {
                await producer.ProduceAsync(new TopicPartition(topic, i % 2), new Message<string, string> { Key = $"k{i}", Value = $"v{i}" }, TestContext.Current.CancellationToken);
            }
        }

        using (var consumer = broker.CreateConsumer<string, string>(group))
        {
            consumer.Subscribe(topic);
            Assert.Equal(10, consumer.ConsumeUpTo(10, Deadline).Count);
            consumer.Commit([new TopicPartitionOffset(topic, 0, 3), new TopicPartitionOffset(topic, 1, 5)]);

            // While the member is still in the group.
            var listed = await broker.Admin.ListConsumerGroupsAsync(new ListConsumerGroupsOptions { RequestTimeout = Deadline });
            Assert.Contains(listed.Valid, g => g.GroupId == group);

#pragma warning disable CS0618 // ListGroups is the older API, still used by tools; it must keep working.
            var groups = broker.Admin.ListGroups(Deadline);
#pragma warning restore CS0618
            Assert.Contains(groups, g => g.Group == group);

            consumer.Close();
        }

        var offsets = await broker.Admin.ListConsumerGroupOffsetsAsync(
            [new ConsumerGroupTopicPartitions(group, [new TopicPartition(topic, 0), new TopicPartition(topic, 1)])]);

        var partitions = Assert.Single(offsets).Partitions.OrderBy(p => p.Partition.Value).ToList();
        Assert.All(partitions, p => Assert.False(p.Error.IsError, p.Error.Reason));
        Assert.Equal([3L, 5L], partitions.Select(p => p.Offset.Value));
    }
}
