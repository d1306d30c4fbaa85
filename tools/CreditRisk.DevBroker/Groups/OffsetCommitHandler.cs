using CreditRisk.DevBroker.Protocol;

namespace CreditRisk.DevBroker.Groups;

/// <summary>
/// OffsetCommit v2–8. The response is written only after the offsets reached the log (see
/// <see cref="OffsetStore"/>). v9+ address topics by id and are not offered.
/// </summary>
internal sealed class OffsetCommitHandler(GroupCoordinator coordinator) : IApiHandler
{
    public ApiKey Key => ApiKey.OffsetCommit;
    public short MinVersion => 2;
    public short MaxVersion => 8;
    public short FirstFlexibleVersion => 8;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaReader request, KafkaWriter response, CancellationToken cancellationToken)
    {
        var version = context.ApiVersion;
        var flexible = context.IsFlexible(FirstFlexibleVersion);

        var groupId = request.ReadString(flexible);
        var generationId = request.ReadInt32();
        var memberId = request.ReadString(flexible);
        var groupInstanceId = version >= 7 ? request.ReadNullableString(flexible) : null;
        if (version <= 4)
        {
            _ = request.ReadInt64(); // retention_time_ms: offsets are kept until the group is deleted
        }

        var topics = new List<(string Name, int PartitionCount)>();
        var entries = new List<OffsetCommitEntry>();
        var topicCount = request.ReadArrayLength(flexible);
        for (var t = 0; t < topicCount; t++)
        {
            var topic = request.ReadString(flexible);
            var partitionCount = request.ReadArrayLength(flexible);
            for (var p = 0; p < partitionCount; p++)
            {
                var partition = request.ReadInt32();
                var offset = request.ReadInt64();
                var leaderEpoch = version >= 6 ? request.ReadInt32() : -1;
                var metadata = request.ReadNullableString(flexible);
                request.SkipTaggedFields(flexible);
                entries.Add(new OffsetCommitEntry(topic, partition, offset, leaderEpoch, metadata));
            }
            request.SkipTaggedFields(flexible);
            topics.Add((topic, Math.Max(partitionCount, 0)));
        }
        request.SkipTaggedFields(flexible);

        var errors = coordinator.CommitOffsets(groupId, generationId, memberId, groupInstanceId, entries);

        if (version >= 3)
        {
            response.WriteInt32(0); // throttle_time_ms
        }
        response.WriteArrayLength(topics.Count, flexible);
        var index = 0;
        foreach (var (name, partitionCount) in topics)
        {
            response.WriteString(name, flexible);
            response.WriteArrayLength(partitionCount, flexible);
            for (var p = 0; p < partitionCount; p++, index++)
            {
                response.WriteInt32(entries[index].Partition);
                response.WriteInt16((short)errors[index]);
                response.WriteEmptyTaggedFields(flexible);
            }
            response.WriteEmptyTaggedFields(flexible);
        }
        response.WriteEmptyTaggedFields(flexible);
        return ValueTask.FromResult(true);
    }
}
