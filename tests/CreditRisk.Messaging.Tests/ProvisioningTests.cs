using Confluent.Kafka;
using Confluent.Kafka.Admin;
using CreditRisk.Contracts.Topics;
using CreditRisk.Messaging.Tests.Support;
using CreditRisk.Testing.Kafka;

namespace CreditRisk.Messaging.Tests;

public sealed class ProvisioningTests(DevBrokerFixture broker) : IClassFixture<DevBrokerFixture>
{
    [Fact]
    public async Task A_topic_added_to_the_bus_is_created_at_start_up_with_the_catalogue_topics()
    {
        var topic = TestEvents.UniqueTopic("own");

        await using var host = await EventBusHost.StartAsync(broker.BootstrapServers,
            bus => bus.AddTopic(new TopicDefinition(topic, "customer_id", ValueType: null, Partitions: 3, CleanupPolicy.Delete, TimeSpan.FromDays(2))));

        var metadata = broker.Admin.GetMetadata(TimeSpan.FromSeconds(10));
        Assert.Equal(3, metadata.Topics.Single(existing => existing.Topic == topic).Partitions.Count);
        Assert.Contains(metadata.Topics, existing => existing.Topic == TopicCatalogue.Transactions.DeadLetterTopicName);
        var described = await broker.Admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = topic }]);
        Assert.Equal("172800000", Assert.Single(described).Entries["retention.ms"].Value);
    }
}
