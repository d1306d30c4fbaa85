using System.Runtime.InteropServices;
using CreditRisk.DevBroker.Protocol;
using CreditRisk.DevBroker.Storage;
using Microsoft.Extensions.Logging;

namespace CreditRisk.DevBroker.Handlers;

/// <summary>
/// Produce v3–9 (record batch v2 only). Batches are appended as byte ranges; nothing per record. Data is
/// handed to the OS before any acknowledgement (and fsynced once per request with FsyncOnAppend), so acks=1
/// and acks=all are equally durable here; acks=0 sends no response.
/// </summary>
internal sealed class ProduceHandler(LogManager logs, BrokerOptions options, ILogger<ProduceHandler> logger) : IApiHandler
{
    public ApiKey Key => ApiKey.Produce;
    public short MinVersion => 3;
    public short MaxVersion => 9;
    public short FirstFlexibleVersion => 9;

    public ValueTask<bool> HandleAsync(RequestContext context, KafkaReader request, KafkaWriter response, CancellationToken cancellationToken)
    {
        var version = context.ApiVersion;
        var flexible = context.IsFlexible(FirstFlexibleVersion);
        _ = request.ReadNullableString(flexible); // transactional_id: transactions are not supported
        var acks = request.ReadInt16();
        _ = request.ReadInt32(); // timeout_ms: appends complete immediately with a single replica
        var topics = request.ReadArray(flexible, r => ReadTopic(r, flexible));
        request.SkipTaggedFields(flexible);

        var nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var results = new List<(string Topic, List<(int Partition, AppendResult Result)> Partitions)>(topics.Count);
        var touched = options.FsyncOnAppend ? new HashSet<PartitionLog>() : null;
        var appended = false;
        foreach (var (name, partitions) in topics)
        {
            var topic = acks is 0 or 1 or -1 ? logs.GetOrAutoCreate(name, allowAutoCreate: true) : null;
            var topicResults = new List<(int, AppendResult)>(partitions.Count);
            foreach (var data in partitions)
            {
                var result = Append(acks, name, topic, data, nowMs, out var log);
                if (result.Error == ErrorCode.None && log is not null)
                {
                    appended = true;
                    touched?.Add(log);
                }
                topicResults.Add((data.Partition, result));
            }
            results.Add((name, topicResults));
        }
        if (touched is not null && acks != 0)
        {
            foreach (var log in touched)
            {
                log.FlushToDisk();
            }
        }
        if (appended)
        {
            logs.NotifyAppended();
        }
        if (acks == 0)
        {
            return ValueTask.FromResult(false);
        }

        response.WriteArrayLength(results.Count, flexible);
        foreach (var (name, partitions) in results)
        {
            response.WriteString(name, flexible);
            response.WriteArrayLength(partitions.Count, flexible);
            foreach (var (partition, result) in partitions)
            {
                response.WriteInt32(partition);
                response.WriteInt16((short)result.Error);
                response.WriteInt64(result.BaseOffset);
                response.WriteInt64(result.LogAppendTime);
                if (version >= 5)
                {
                    response.WriteInt64(result.LogStartOffset);
                }
                if (version >= 8)
                {
                    response.WriteArrayLength(0, flexible); // record_errors
                    response.WriteString(result.Error == ErrorCode.None ? null : result.ErrorMessage, flexible);
                }
                response.WriteEmptyTaggedFields(flexible);
            }
            response.WriteEmptyTaggedFields(flexible);
        }
        response.WriteInt32(0); // throttle_time_ms
        response.WriteEmptyTaggedFields(flexible);
        return ValueTask.FromResult(true);
    }

    private AppendResult Append(short acks, string topicName, TopicLog? topic, ProducePartitionData data, long nowMs, out PartitionLog? log)
    {
        log = null;
        if (acks is not (0 or 1 or -1))
        {
            return new AppendResult(ErrorCode.InvalidRequiredAcks, -1, -1, -1);
        }
        if (topic is null)
        {
            var error = TopicNames.IsValid(topicName, out _) ? ErrorCode.UnknownTopicOrPartition : ErrorCode.InvalidTopicException;
            return new AppendResult(error, -1, -1, -1);
        }
        log = topic.GetPartition(data.Partition);
        if (log is null)
        {
            return new AppendResult(ErrorCode.UnknownTopicOrPartition, -1, -1, -1);
        }
        if (data.Records is not { } records)
        {
            return new AppendResult(ErrorCode.CorruptMessage, -1, -1, -1, "null record set");
        }
        try
        {
            return log.Append(records, topic.Config, nowMs);
        }
        catch (IOException e)
        {
            logger.LogError(e, "Append to {Topic}-{Partition} failed", topicName, data.Partition);
            return new AppendResult(ErrorCode.KafkaStorageError, -1, -1, -1, e.Message);
        }
        catch (ObjectDisposedException)
        {
            // The topic was deleted while this request was in flight.
            return new AppendResult(ErrorCode.UnknownTopicOrPartition, -1, -1, -1);
        }
    }

    private static (string Name, List<ProducePartitionData> Partitions) ReadTopic(KafkaReader request, bool flexible)
    {
        var name = request.ReadString(flexible);
        var partitions = request.ReadArray(flexible, r =>
        {
            var partition = r.ReadInt32();
            var records = r.ReadNullableBytes(flexible);
            r.SkipTaggedFields(flexible);
            // The request buffer belongs to this connection and is not reused until the response is written,
            // so the log may assign offsets by rewriting the batches in place instead of copying them.
            return new ProducePartitionData(partition, records is { } bytes ? MemoryMarshal.AsMemory(bytes) : null);
        });
        request.SkipTaggedFields(flexible);
        return (name, partitions);
    }
}
