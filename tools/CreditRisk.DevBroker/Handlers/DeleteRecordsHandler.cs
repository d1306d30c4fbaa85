using CreditRisk.DevBroker.Protocol;
using CreditRisk.DevBroker.Storage;
using Microsoft.Extensions.Logging;

namespace CreditRisk.DevBroker.Handlers;

/// <summary>DeleteRecords v0–2: moves each partition's log start offset; whole segments below it are deleted.</summary>
internal sealed class DeleteRecordsHandler(LogManager logs, ILogger<DeleteRecordsHandler> logger) : IApiHandler
{
    public ApiKey Key => ApiKey.DeleteRecords;
    public short MinVersion => 0;
    public short MaxVersion => 2;
    public short FirstFlexibleVersion => 2;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaReader request, KafkaWriter response, CancellationToken cancellationToken)
    {
        var flexible = context.IsFlexible(FirstFlexibleVersion);
        var topics = request.ReadArray(flexible, r =>
        {
            var name = r.ReadString(flexible);
            var partitions = r.ReadArray(flexible, p =>
            {
                var partition = p.ReadInt32();
                var offset = p.ReadInt64();
                p.SkipTaggedFields(flexible);
                return (Partition: partition, Offset: offset);
            });
            r.SkipTaggedFields(flexible);
            return (Name: name, Partitions: partitions);
        });
        _ = request.ReadInt32(); // timeout_ms
        request.SkipTaggedFields(flexible);

        response.WriteInt32(0); // throttle_time_ms
        response.WriteArrayLength(topics.Count, flexible);
        foreach (var (name, partitions) in topics)
        {
            response.WriteString(name, flexible);
            response.WriteArrayLength(partitions.Count, flexible);
            logs.TryGetTopic(name, out var topic);
            foreach (var (partition, offset) in partitions)
            {
                var log = topic?.GetPartition(partition);
                var (error, lowWatermark) = log is null ? (ErrorCode.UnknownTopicOrPartition, -1L) : DeleteRecords(log, offset);
                response.WriteInt32(partition);
                response.WriteInt64(lowWatermark);
                response.WriteInt16((short)error);
                response.WriteEmptyTaggedFields(flexible);
            }
            response.WriteEmptyTaggedFields(flexible);
        }
        response.WriteEmptyTaggedFields(flexible);
        return ValueTask.FromResult(true);
    }

    private (ErrorCode, long) DeleteRecords(PartitionLog log, long offset)
    {
        try
        {
            return log.DeleteRecordsBefore(offset);
        }
        catch (IOException e)
        {
            // The log start offset has moved; only removing a segment file failed. Retention retries it.
            logger.LogWarning(e, "DeleteRecords on {Topic}-{Partition} could not remove a segment", log.Topic, log.Partition);
            return (ErrorCode.KafkaStorageError, log.LogStartOffset);
        }
    }
}
