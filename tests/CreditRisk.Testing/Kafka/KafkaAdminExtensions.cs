using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace CreditRisk.Testing.Kafka;

public static class KafkaAdminExtensions
{
    /// <summary>Creates a topic and waits until the broker's metadata lists all of its partitions with a leader.</summary>
    public static async Task CreateTopicAsync(
        this IAdminClient admin,
        string topic,
        int partitions = 1,
        IReadOnlyDictionary<string, string>? configs = null,
        TimeSpan? timeout = null)
    {
        var specification = new TopicSpecification
        {
            Name = topic,
            NumPartitions = partitions,
            ReplicationFactor = 1,
            Configs = configs?.ToDictionary(kv => kv.Key, kv => kv.Value),
        };
        await admin.CreateTopicsAsync([specification]);
        await admin.WaitForTopicAsync(topic, partitions, timeout ?? TimeSpan.FromSeconds(30));
    }

    /// <summary>Polls metadata until <paramref name="topic"/> has <paramref name="partitions"/> partitions, each with a leader.</summary>
    public static async Task WaitForTopicAsync(this IAdminClient admin, string topic, int partitions, TimeSpan timeout)
    {
        await Eventually.ThatAsync(
            () =>
            {
                var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(10));
                var topicMetadata = metadata.Topics.SingleOrDefault(t => t.Topic == topic);
                return Task.FromResult(
                    topicMetadata is not null
                    && topicMetadata.Error.Code == ErrorCode.NoError
                    && topicMetadata.Partitions.Count == partitions
                    && topicMetadata.Partitions.All(p => p.Leader >= 0));
            },
            timeout,
            $"topic {topic} with {partitions} partitions to appear in metadata");
    }
}
