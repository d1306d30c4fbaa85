using CreditRisk.Features.Tests.Support;
using CreditRisk.Testing.Kafka;
using CreditRisk.Testing.Postgres;
using CreditRisk.Testing.Redis;

namespace CreditRisk.Features.Tests;

public sealed class LateTopicProvisioningTests(DevBrokerFixture broker, PostgresFixture postgres, RedisFixture redis)
    : IClassFixture<DevBrokerFixture>, IClassFixture<PostgresFixture>, IClassFixture<RedisFixture>
{
    [Fact]
    public async Task The_late_topic_is_provisioned_with_the_catalogue_where_the_processor_runs_and_not_on_a_retrieval_replica()
    {
        var topics = await TestTopics.CreateAsync(broker, "provisioning");
        var processorLate = TopicNames.Unique("late-processor");
        var replicaLate = TopicNames.Unique("late-replica");

        await using (await FeaturesServiceHost.StartAsync(Provisioning(FeaturesSettings.For(broker, postgres, redis, topics, "provisioning-" + Guid.NewGuid().ToString("N")), processorLate)))
        await using (await FeaturesServiceHost.StartAsync(Provisioning(FeaturesSettings.For(broker, postgres, redis, topics, "replica-" + Guid.NewGuid().ToString("N"), processor: false), replicaLate)))
        {
            var metadata = broker.Admin.GetMetadata(TimeSpan.FromSeconds(10));
            Assert.Equal(6, metadata.Topics.Single(topic => topic.Topic == processorLate).Partitions.Count);
            Assert.DoesNotContain(metadata.Topics, topic => topic.Topic == replicaLate && topic.Error.Code == Confluent.Kafka.ErrorCode.NoError);
        }
    }

    private static Dictionary<string, string?> Provisioning(Dictionary<string, string?> settings, string lateTopic)
    {
        settings["Kafka:ProvisionTopics"] = "true";
        settings["FeatureProcessor:LateTopic"] = lateTopic;
        return settings;
    }
}
