using CreditRisk.DevBroker.Protocol;
using CreditRisk.DevBroker.Storage;

namespace CreditRisk.DevBroker.Handlers;

/// <summary>ListOffsets v1–7: -1 latest (high watermark), -2 earliest (log start), -3 max timestamp (v7), else by timestamp.</summary>
internal sealed class ListOffsetsHandler(LogManager logs) : IApiHandler
{
    private const long Latest = -1;
    private const long Earliest = -2;
    private const long MaxTimestamp = -3;

    public ApiKey Key => ApiKey.ListOffsets;
    public short MinVersion => 1;
    public short MaxVersion => 7;
    public short FirstFlexibleVersion => 6;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaReader request, KafkaWriter response, CancellationToken cancellationToken)
    {
        var version = context.ApiVersion;
        var flexible = context.IsFlexible(FirstFlexibleVersion);
        _ = request.ReadInt32(); // replica_id
        if (version >= 2)
        {
            _ = request.ReadInt8(); // isolation_level: no transactions, so committed == everything
        }
        var topics = request.ReadArray(flexible, r =>
        {
            var name = r.ReadString(flexible);
            var partitions = r.ReadArray(flexible, p =>
            {
                var partition = p.ReadInt32();
                if (version >= 4)
                {
                    _ = p.ReadInt32(); // current_leader_epoch
                }
                var timestamp = p.ReadInt64();
                p.SkipTaggedFields(flexible);
                return (Partition: partition, Timestamp: timestamp);
            });
            r.SkipTaggedFields(flexible);
            return (Name: name, Partitions: partitions);
        });
        request.SkipTaggedFields(flexible);

        if (version >= 2)
        {
            response.WriteInt32(0); // throttle_time_ms
        }
        response.WriteArrayLength(topics.Count, flexible);
        foreach (var (name, partitions) in topics)
        {
            response.WriteString(name, flexible);
            response.WriteArrayLength(partitions.Count, flexible);
            logs.TryGetTopic(name, out var topic);
            foreach (var (partition, timestamp) in partitions)
            {
                var log = topic?.GetPartition(partition);
                var (error, found) = log is null
                    ? (ErrorCode.UnknownTopicOrPartition, new OffsetLookup(-1, -1))
                    : Lookup(log, timestamp, version);
                response.WriteInt32(partition);
                response.WriteInt16((short)error);
                response.WriteInt64(found.Timestamp);
                response.WriteInt64(found.Offset);
                if (version >= 4)
                {
                    response.WriteInt32(found.Offset >= 0 ? 0 : -1); // leader_epoch
                }
                response.WriteEmptyTaggedFields(flexible);
            }
            response.WriteEmptyTaggedFields(flexible);
        }
        response.WriteEmptyTaggedFields(flexible);
        return ValueTask.FromResult(true);
    }

    private static (ErrorCode, OffsetLookup) Lookup(PartitionLog log, long timestamp, short version) => timestamp switch
    {
        Latest => (ErrorCode.None, new OffsetLookup(log.HighWatermark, -1)),
        Earliest => (ErrorCode.None, new OffsetLookup(log.LogStartOffset, -1)),
        MaxTimestamp when version >= 7 => (ErrorCode.None, log.FindMaxTimestamp()),
        < 0 => (ErrorCode.UnsupportedVersion, new OffsetLookup(-1, -1)),
        _ => (ErrorCode.None, log.FindOffsetForTimestamp(timestamp)),
    };
}
