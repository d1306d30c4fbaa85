using CreditRisk.DevBroker.Protocol;

namespace CreditRisk.DevBroker.Groups;

/// <summary>
/// OffsetFetch v1–8. A null topic list (v2+) means every committed partition of the group; a partition
/// without a commit answers offset -1. v8 asks for several groups at once. RequireStable (v7+) needs no
/// handling: this broker has no pending transactional offsets that could be unstable.
/// </summary>
internal sealed class OffsetFetchHandler(GroupCoordinator coordinator) : IApiHandler
{
    private const long NoOffset = -1;
    private const int NoLeaderEpoch = -1;

    public ApiKey Key => ApiKey.OffsetFetch;
    public short MinVersion => 1;
    public short MaxVersion => 8;
    public short FirstFlexibleVersion => 6;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaReader request, KafkaWriter response, CancellationToken cancellationToken)
    {
        var version = context.ApiVersion;
        var flexible = context.IsFlexible(FirstFlexibleVersion);

        var groups = new List<(string GroupId, List<RequestedTopic>? Topics)>();
        if (version <= 7)
        {
            var groupId = request.ReadString(flexible);
            groups.Add((groupId, ReadTopics(request, flexible)));
        }
        else
        {
            var groupCount = request.ReadArrayLength(flexible);
            for (var i = 0; i < groupCount; i++)
            {
                var groupId = request.ReadString(flexible);
                var topics = ReadTopics(request, flexible);
                request.SkipTaggedFields(flexible);
                groups.Add((groupId, topics));
            }
        }
        if (version >= 7)
        {
            _ = request.ReadBool(); // require_stable
        }
        request.SkipTaggedFields(flexible);

        if (version >= 3)
        {
            response.WriteInt32(0); // throttle_time_ms
        }
        if (version <= 7)
        {
            var (groupId, topics) = groups[0];
            WriteTopics(response, Resolve(groupId, topics), version, flexible);
            if (version >= 2)
            {
                response.WriteInt16((short)ErrorCode.None);
            }
        }
        else
        {
            response.WriteArrayLength(groups.Count, flexible);
            foreach (var (groupId, topics) in groups)
            {
                response.WriteString(groupId, flexible);
                WriteTopics(response, Resolve(groupId, topics), version, flexible);
                response.WriteInt16((short)ErrorCode.None);
                response.WriteEmptyTaggedFields(flexible);
            }
        }
        response.WriteEmptyTaggedFields(flexible);
        return ValueTask.FromResult(true);
    }

    /// <summary>Reads the topic list; null when the client asks for all committed partitions.</summary>
    private static List<RequestedTopic>? ReadTopics(KafkaReader request, bool flexible)
    {
        var count = request.ReadArrayLength(flexible);
        if (count < 0)
        {
            return null;
        }
        var topics = new List<RequestedTopic>(count);
        for (var i = 0; i < count; i++)
        {
            var name = request.ReadString(flexible);
            var partitions = request.ReadArray(flexible, r => r.ReadInt32());
            request.SkipTaggedFields(flexible);
            topics.Add(new RequestedTopic(name, partitions));
        }
        return topics;
    }

    private List<TopicOffsets> Resolve(string groupId, List<RequestedTopic>? topics)
    {
        if (topics is null)
        {
            return coordinator.GetCommittedOffsets(groupId)
                .GroupBy(entry => entry.Key.Topic, StringComparer.Ordinal)
                .Select(topic => new TopicOffsets(
                    topic.Key,
                    topic.Select(entry => new PartitionOffset(entry.Key.Partition, entry.Value)).ToList()))
                .ToList();
        }
        return topics
            .Select(topic => new TopicOffsets(
                topic.Name,
                topic.Partitions
                    .Select(partition =>
                    {
                        coordinator.TryGetCommittedOffset(groupId, new TopicPartition(topic.Name, partition), out var offset);
                        return new PartitionOffset(partition, offset);
                    })
                    .ToList()))
            .ToList();
    }

    private static void WriteTopics(KafkaWriter response, List<TopicOffsets> topics, short version, bool flexible)
    {
        response.WriteArrayLength(topics.Count, flexible);
        foreach (var (topic, partitions) in topics)
        {
            response.WriteString(topic, flexible);
            response.WriteArrayLength(partitions.Count, flexible);
            foreach (var (partition, offset) in partitions)
            {
                response.WriteInt32(partition);
                response.WriteInt64(offset?.Offset ?? NoOffset);
                if (version >= 5)
                {
                    response.WriteInt32(offset?.LeaderEpoch ?? NoLeaderEpoch);
                }
                // Kafka answers "" rather than null metadata for partitions without a commit.
                response.WriteString(offset is null ? "" : offset.Metadata, flexible);
                response.WriteInt16((short)ErrorCode.None);
                response.WriteEmptyTaggedFields(flexible);
            }
            response.WriteEmptyTaggedFields(flexible);
        }
    }

    private sealed record RequestedTopic(string Name, List<int> Partitions);

    private sealed record TopicOffsets(string Topic, List<PartitionOffset> Partitions);

    /// <summary>A requested partition and its commit, or null when the group never committed it.</summary>
    private readonly record struct PartitionOffset(int Partition, CommittedOffset? Offset);
}
