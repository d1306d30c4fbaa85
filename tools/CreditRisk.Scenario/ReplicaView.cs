using Confluent.Kafka;
using Confluent.Kafka.Admin;
using CreditRisk.Contracts.Topics;

namespace CreditRisk.Scenario;

/// <summary>
/// The replicated services as the broker sees them: the features consumer group's members and the partitions each
/// was assigned, and every live scoring replica's own promotion group with how far it has read the promotions.
/// </summary>
public sealed record ReplicaView(
    IReadOnlyList<(string Member, IReadOnlyList<TopicPartition> Partitions)> FeaturesMembers,
    IReadOnlyList<(string Group, long Offset)> ScoringGroups,
    long PromotionsEnd)
{
    public const string FeaturesGroup = "features";

    public static async Task<ReplicaView> ReadAsync(string bootstrapServers, TimeSpan timeout)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();
        var features = await admin.DescribeConsumerGroupsAsync([FeaturesGroup], new DescribeConsumerGroupsOptions { RequestTimeout = timeout });
        var members = features.ConsumerGroupDescriptions.SelectMany(group => group.Members)
            .Select(member => (member.ClientId + " " + member.Host, (IReadOnlyList<TopicPartition>)[.. member.Assignment.TopicPartitions.OrderBy(p => p.Topic, StringComparer.Ordinal).ThenBy(p => p.Partition.Value)]))
            .OrderBy(member => member.Item1, StringComparer.Ordinal)
            .ToList();

        var listed = await admin.ListConsumerGroupsAsync(new ListConsumerGroupsOptions { RequestTimeout = timeout });
        var scoring = listed.Valid
            .Where(group => group.GroupId.StartsWith("scoring-", StringComparison.Ordinal) && group.State == ConsumerGroupState.Stable)
            .Select(group => group.GroupId)
            .Order(StringComparer.Ordinal)
            .ToList();
        var promotions = new TopicPartition(TopicCatalogue.ModelPromotions.Name, 0);
        var groups = new List<(string, long)>();
        foreach (var group in scoring)
        {
            var offsets = await admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions(group, [promotions])], new ListConsumerGroupOffsetsOptions { RequestTimeout = timeout });
            groups.Add((group, offsets.SelectMany(result => result.Partitions).Select(partition => partition.Offset.Value).DefaultIfEmpty(-1).Max()));
        }
        var end = await admin.ListOffsetsAsync([new TopicPartitionOffsetSpec { TopicPartition = promotions, OffsetSpec = OffsetSpec.Latest() }],
            new ListOffsetsOptions { RequestTimeout = timeout });
        return new ReplicaView(members, groups, end.ResultInfos.Single().TopicPartitionOffsetError.Offset.Value);
    }
}
