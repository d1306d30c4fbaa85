using Confluent.Kafka;
using Confluent.Kafka.Admin;
using CreditRisk.Testing.Kafka;

namespace CreditRisk.Features.Tests.Support;

/// <summary>A test's own raw topics (with their dead-letter topics), late topic and feature-updates topic.</summary>
public sealed record TestTopics(string Applications, string Transactions, string Repayments, string Late, string FeatureUpdates)
{
    public IReadOnlyList<string> Raw => [Applications, Transactions, Repayments];

    public static async Task<TestTopics> CreateAsync(DevBrokerFixture broker, string name, int partitions = 3)
    {
        var prefix = TopicNames.Unique(name);
        var topics = new TestTopics($"{prefix}.applications", $"{prefix}.transactions", $"{prefix}.repayments", $"{prefix}.late", $"{prefix}.feature-updates");
        foreach (var topic in topics.Raw)
        {
            await broker.CreateTopicAsync(topic, partitions);
            await broker.CreateTopicAsync(topic + ".dlq", 1);
        }
        await broker.CreateTopicAsync(topics.Late, partitions);
        await broker.CreateTopicAsync(topics.FeatureUpdates, partitions);
        return topics;
    }

    /// <summary>Whether <paramref name="group"/> has committed every raw record (the processor drained the topics).</summary>
    public bool IsDrained(DevBrokerFixture broker, string group, int partitions = 3)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(broker.ConsumerConfig(group)).Build();
        var all = Raw.SelectMany(topic => Enumerable.Range(0, partitions).Select(partition => new TopicPartition(topic, partition))).ToList();
        var committed = consumer.Committed(all, TimeSpan.FromSeconds(10)).ToDictionary(entry => entry.TopicPartition, entry => entry.Offset.Value);
        foreach (var partition in all)
        {
            var end = consumer.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(10)).High.Value;
            if (committed.GetValueOrDefault(partition, -1) < end && end > 0)
            {
                return false;
            }
        }
        return true;
    }
}
