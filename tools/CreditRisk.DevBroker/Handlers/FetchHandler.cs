using CreditRisk.DevBroker.Protocol;
using CreditRisk.DevBroker.Storage;

namespace CreditRisk.DevBroker.Handlers;

/// <summary>
/// Fetch v4–12 without fetch sessions (every response says session_id 0, so clients send full requests).
/// Long polling: when fewer than min_bytes are available the handler waits, woken by any append, until
/// max_wait_ms. Response size is bounded by max_bytes, partition_max_bytes and the broker cap, except that
/// the first non-empty partition always carries at least one whole batch, as in Kafka.
/// </summary>
internal sealed class FetchHandler(LogManager logs, BrokerOptions options) : IApiHandler
{
    public ApiKey Key => ApiKey.Fetch;
    public short MinVersion => 4;
    public short MaxVersion => 12;
    public short FirstFlexibleVersion => 12;

    public async ValueTask<bool> HandleAsync(RequestContext context, KafkaReader request, KafkaWriter response, CancellationToken cancellationToken)
    {
        var version = context.ApiVersion;
        var flexible = context.IsFlexible(FirstFlexibleVersion);
        _ = request.ReadInt32(); // replica_id
        var maxWait = TimeSpan.FromMilliseconds(Math.Max(request.ReadInt32(), 0));
        var minBytes = request.ReadInt32();
        var maxBytes = request.ReadInt32();
        _ = request.ReadInt8(); // isolation_level: without transactions everything below the high watermark is stable
        if (version >= 7)
        {
            _ = request.ReadInt32(); // session_id
            _ = request.ReadInt32(); // session_epoch
        }
        var topics = request.ReadArray(flexible, r => ReadTopic(r, version, flexible));
        if (version >= 7)
        {
            _ = request.ReadArray(flexible, r =>
            {
                _ = r.ReadString(flexible);
                _ = r.ReadArray(flexible, p => p.ReadInt32());
                r.SkipTaggedFields(flexible);
                return 0;
            }); // forgotten_topics_data: nothing to forget without sessions
        }
        if (version >= 11)
        {
            _ = request.ReadString(flexible); // rack_id
        }
        request.SkipTaggedFields(flexible);

        var responseLimit = maxBytes > 0 ? Math.Min(maxBytes, options.MaxFetchResponseBytes) : options.MaxFetchResponseBytes;
        var bodyStart = response.Length;
        var deadline = DateTime.UtcNow + maxWait;
        while (true)
        {
            // Take the signal before reading so an append racing with this pass still wakes the wait below.
            var nextAppend = logs.NextAppend;
            var (recordBytes, hasErrors) = WriteResponse(response, topics, version, flexible, responseLimit);
            var remaining = deadline - DateTime.UtcNow;
            if (recordBytes >= minBytes || hasErrors || remaining <= TimeSpan.Zero)
            {
                return true;
            }
            response.Truncate(bodyStart);
            await nextAppend.WaitAsync(remaining, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private (int RecordBytes, bool HasErrors) WriteResponse(
        KafkaWriter response, List<(string Topic, List<FetchPartitionRequest> Partitions)> topics, short version, bool flexible, int responseLimit)
    {
        var recordBytes = 0;
        var hasErrors = false;
        response.WriteInt32(0); // throttle_time_ms
        if (version >= 7)
        {
            response.WriteInt16((short)ErrorCode.None);
            response.WriteInt32(0); // session_id: sessionless
        }
        response.WriteArrayLength(topics.Count, flexible);
        foreach (var (name, partitions) in topics)
        {
            response.WriteString(name, flexible);
            response.WriteArrayLength(partitions.Count, flexible);
            logs.TryGetTopic(name, out var topic);
            foreach (var partition in partitions)
            {
                var log = topic?.GetPartition(partition.Partition);
                var read = log is null
                    ? new RecordsRead(ErrorCode.UnknownTopicOrPartition, -1, -1, null, 0)
                    : log.Read(partition.FetchOffset, Math.Min(partition.PartitionMaxBytes, responseLimit - recordBytes), minOneBatch: recordBytes == 0);
                try
                {
                    hasErrors |= read.Error != ErrorCode.None;
                    recordBytes += read.Length;
                    WritePartition(response, version, flexible, partition.Partition, read);
                }
                finally
                {
                    read.Release();
                }
            }
            response.WriteEmptyTaggedFields(flexible);
        }
        response.WriteEmptyTaggedFields(flexible);
        return (recordBytes, hasErrors);
    }

    private static void WritePartition(KafkaWriter response, short version, bool flexible, int partition, in RecordsRead read)
    {
        response.WriteInt32(partition);
        response.WriteInt16((short)read.Error);
        response.WriteInt64(read.HighWatermark);
        response.WriteInt64(read.HighWatermark); // last_stable_offset
        if (version >= 5)
        {
            response.WriteInt64(read.LogStartOffset);
        }
        response.WriteArrayLength(-1, flexible); // aborted_transactions: null
        if (version >= 11)
        {
            response.WriteInt32(-1); // preferred_read_replica
        }
        response.WriteLengthPrefix(read.Length, flexible);
        response.WriteRecordsSegment(read.Bytes);
        response.WriteEmptyTaggedFields(flexible);
    }

    private static (string, List<FetchPartitionRequest>) ReadTopic(KafkaReader request, short version, bool flexible)
    {
        var name = request.ReadString(flexible);
        var partitions = request.ReadArray(flexible, r =>
        {
            var partition = r.ReadInt32();
            if (version >= 9)
            {
                _ = r.ReadInt32(); // current_leader_epoch
            }
            var fetchOffset = r.ReadInt64();
            if (version >= 12)
            {
                _ = r.ReadInt32(); // last_fetched_epoch
            }
            if (version >= 5)
            {
                _ = r.ReadInt64(); // log_start_offset (followers only)
            }
            var partitionMaxBytes = r.ReadInt32();
            r.SkipTaggedFields(flexible);
            return new FetchPartitionRequest(partition, fetchOffset, partitionMaxBytes);
        });
        request.SkipTaggedFields(flexible);
        return (name, partitions);
    }
}
