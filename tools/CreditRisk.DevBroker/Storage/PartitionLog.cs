using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using CreditRisk.DevBroker.Protocol;
using Microsoft.Extensions.Logging;

namespace CreditRisk.DevBroker.Storage;

/// <summary>
/// The log of one topic-partition: ordered segments, the high watermark (next offset; with one replica
/// everything written is committed), the log start offset and idempotent-producer state. Appends, retention
/// and DeleteRecords serialise on one lock; reads take a snapshot of the segment list and read without it.
/// </summary>
internal sealed class PartitionLog : IDisposable
{
    private const string LogStartOffsetFile = "log-start-offset";

    private readonly Lock _gate = new();
    private readonly string _directory;
    private readonly ProducerStateTable _producers;
    private readonly ILogger _logger;
    private LogSegment[] _segments;
    private long _highWatermark;
    private long _logStartOffset;
    private bool _closed;

    private PartitionLog(string topic, int partition, string directory, LogSegment[] segments, long logStartOffset, ProducerStateTable producers, ILogger logger)
    {
        _producers = producers;
        Topic = topic;
        Partition = partition;
        _directory = directory;
        _segments = segments;
        _highWatermark = segments[^1].NextOffset;
        _logStartOffset = Math.Max(logStartOffset, segments[0].BaseOffset);
        _logger = logger;
    }

    public string Topic { get; }
    public int Partition { get; }
    public long HighWatermark => Volatile.Read(ref _highWatermark);
    public long LogStartOffset => Volatile.Read(ref _logStartOffset);

    /// <summary>Opens (or creates) the partition folder, recovering the last segment after an unclean stop.</summary>
    public static PartitionLog Open(string topic, int partition, string directory, ILogger logger)
    {
        Directory.CreateDirectory(directory);
        var baseOffsets = Directory.EnumerateFiles(directory, "*.log")
            .Select(path => long.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out var offset) ? offset : -1)
            .Where(offset => offset >= 0)
            .Order()
            .ToList();
        var persistedStart = ReadLogStartOffset(directory);
        var producers = new ProducerStateTable();
        var segments = new List<LogSegment>(Math.Max(baseOffsets.Count, 1));
        for (var i = 0; i < baseOffsets.Count; i++)
        {
            var isLast = i == baseOffsets.Count - 1;
            var segment = LogSegment.Open(directory, baseOffsets[i], recover: isLast, isLast ? b => producers.Record(b) : null, out var truncated);
            if (truncated > 0)
            {
                logger.LogWarning("{Topic}-{Partition}: truncated {Bytes} bytes of incomplete or corrupt data at the end of {Segment}",
                    topic, partition, truncated, segment.LogPath);
            }
            segments.Add(segment);
        }
        if (segments.Count == 0)
        {
            segments.Add(LogSegment.Create(directory, Math.Max(persistedStart, 0)));
        }
        return new PartitionLog(topic, partition, directory, [.. segments], persistedStart, producers, logger);
    }

    /// <summary>
    /// Validates and appends the record batches of one produce partition payload. The buffer is the request's
    /// own, so base offsets (outside the CRC) are assigned by rewriting them in place before writing.
    /// </summary>
    public AppendResult Append(Memory<byte> records, TopicConfig config, long nowMs)
    {
        var span = records.Span;
        var validation = Validate(span);
        if (validation != ErrorCode.None)
        {
            return new AppendResult(validation, -1, -1, LogStartOffset, "record batch failed validation");
        }
        lock (_gate)
        {
            if (_closed)
            {
                return new AppendResult(ErrorCode.UnknownTopicOrPartition, -1, -1, -1);
            }
            long firstOffset = -1;
            var position = 0;
            while (position < span.Length)
            {
                var header = RecordBatchHeader.Read(span[position..]);
                var batch = span.Slice(position, header.TotalSize);
                position += header.TotalSize;
                if (header.HasProducerId)
                {
                    switch (_producers.Check(header, out var duplicateOffset))
                    {
                        case SequenceCheck.Duplicate:
                            firstOffset = firstOffset < 0 ? duplicateOffset : firstOffset;
                            continue;
                        case SequenceCheck.OutOfOrder:
                            return new AppendResult(ErrorCode.OutOfOrderSequenceNumber, -1, -1, _logStartOffset,
                                $"out of order sequence {header.BaseSequence} for producer {header.ProducerId}");
                        case SequenceCheck.StaleEpoch:
                            return new AppendResult(ErrorCode.InvalidProducerEpoch, -1, -1, _logStartOffset,
                                $"producer {header.ProducerId} epoch {header.ProducerEpoch} is fenced");
                    }
                }
                header = AssignOffset(batch, header, config.UsesLogAppendTime ? nowMs : -1);
                firstOffset = firstOffset < 0 ? header.BaseOffset : firstOffset;
                ActiveSegmentFor(header, config.SegmentBytes).Append(batch, header);
                _producers.Record(header);
                Volatile.Write(ref _highWatermark, header.LastOffset + 1);
            }
            return new AppendResult(ErrorCode.None, firstOffset, config.UsesLogAppendTime ? nowMs : -1, _logStartOffset);
        }
    }

    /// <summary>Lengths, magic and CRC of every batch; done outside the lock since it touches every byte.</summary>
    private static ErrorCode Validate(ReadOnlySpan<byte> records)
    {
        if (records.IsEmpty)
        {
            return ErrorCode.CorruptMessage;
        }
        var position = 0;
        while (position < records.Length)
        {
            if (records.Length - position < RecordBatchHeader.Size)
            {
                return ErrorCode.CorruptMessage;
            }
            var header = RecordBatchHeader.Read(records[position..]);
            if (header.Magic != RecordBatchHeader.CurrentMagic)
            {
                return ErrorCode.UnsupportedForMessageFormat;
            }
            if (!header.IsStructurallyValid(records.Length - position) ||
                !RecordBatchHeader.HasValidCrc(records.Slice(position, header.TotalSize)))
            {
                return ErrorCode.CorruptMessage;
            }
            position += header.TotalSize;
        }
        return ErrorCode.None;
    }

    private RecordBatchHeader AssignOffset(Span<byte> batch, RecordBatchHeader header, long logAppendTimeMs)
    {
        var baseOffset = _highWatermark;
        BinaryPrimitives.WriteInt64BigEndian(batch, baseOffset);
        // With one replica the leader epoch never changes; Kafka stamps it here too.
        BinaryPrimitives.WriteInt32BigEndian(batch[RecordBatchHeader.PartitionLeaderEpochOffset..], 0);
        if (logAppendTimeMs < 0)
        {
            return header with { BaseOffset = baseOffset };
        }
        // LogAppendTime topics: the broker's clock replaces max timestamp, which is inside the CRC.
        var attributes = (short)(header.Attributes | RecordBatchHeader.TimestampTypeLogAppendTime);
        BinaryPrimitives.WriteInt16BigEndian(batch[RecordBatchHeader.AttributesOffset..], attributes);
        BinaryPrimitives.WriteInt64BigEndian(batch[RecordBatchHeader.MaxTimestampOffset..], logAppendTimeMs);
        BinaryPrimitives.WriteUInt32BigEndian(batch[RecordBatchHeader.CrcOffset..], Crc32C.Compute(batch[RecordBatchHeader.AttributesOffset..]));
        return header with { BaseOffset = baseOffset, Attributes = attributes, MaxTimestamp = logAppendTimeMs };
    }

    private LogSegment ActiveSegmentFor(in RecordBatchHeader batch, long segmentBytes)
    {
        var active = _segments[^1];
        var full = active.Size > 0 &&
            (active.Size + batch.TotalSize > segmentBytes || batch.LastOffset - active.BaseOffset > int.MaxValue);
        return full ? Roll() : active;
    }

    private LogSegment Roll()
    {
        var segment = LogSegment.Create(_directory, _highWatermark);
        Volatile.Write(ref _segments, [.. _segments, segment]);
        return segment;
    }

    /// <summary>
    /// Forces appended data to the device (FsyncOnAppend); the OS already has it. The segment before the
    /// active one is included because this request may have rolled it; syncing a clean file is cheap.
    /// </summary>
    public void FlushToDisk()
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }
            foreach (var segment in _segments.AsSpan(Math.Max(0, _segments.Length - 2)))
            {
                segment.FlushToDisk();
            }
        }
    }

    /// <summary>
    /// Reads whole batches starting with the one holding <paramref name="offset"/>, up to
    /// <paramref name="maxBytes"/>; with <paramref name="minOneBatch"/> the first batch is returned even
    /// when it alone is larger (as Kafka does, so consumers never stall on a big batch).
    /// </summary>
    public RecordsRead Read(long offset, int maxBytes, bool minOneBatch)
    {
        var highWatermark = HighWatermark;
        var logStartOffset = LogStartOffset;
        var segments = Volatile.Read(ref _segments);
        if (offset < logStartOffset || offset > highWatermark)
        {
            return new RecordsRead(ErrorCode.OffsetOutOfRange, highWatermark, logStartOffset, null, 0);
        }
        var empty = new RecordsRead(ErrorCode.None, highWatermark, logStartOffset, null, 0);
        if (offset == highWatermark || (maxBytes <= 0 && !minOneBatch))
        {
            return empty;
        }
        try
        {
            for (var i = FloorSegment(segments, offset); i < segments.Length; i++)
            {
                var segment = segments[i];
                var limit = segment.Size;
                var position = segment.FindBatchPosition(offset, limit);
                if (position < 0)
                {
                    continue;
                }
                var (buffer, length) = ReadBatches(segment, position, limit, highWatermark, maxBytes, minOneBatch);
                return buffer is null ? empty : new RecordsRead(ErrorCode.None, highWatermark, logStartOffset, buffer, length);
            }
        }
        catch (ObjectDisposedException)
        {
            // Retention or a topic deletion removed the segment mid-read; the client simply fetches again.
        }
        return empty;
    }

    /// <summary>Whole batches from <paramref name="position"/>, none at or beyond <paramref name="highWatermark"/> (appends may race ahead).</summary>
    private static (byte[]? Buffer, int Length) ReadBatches(LogSegment segment, long position, long limit, long highWatermark, int maxBytes, bool minOneBatch)
    {
        var wanted = (int)Math.Min(limit - position, Math.Max(maxBytes, 0));
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(wanted, RecordBatchHeader.Size));
        var read = segment.ReadFully(position, buffer.AsSpan(0, wanted));
        var end = 0;
        while (end + RecordBatchHeader.LogOverhead <= read)
        {
            var size = RecordBatchHeader.LogOverhead + BinaryPrimitives.ReadInt32BigEndian(buffer.AsSpan(end + 8));
            if (end + size > read || BinaryPrimitives.ReadInt64BigEndian(buffer.AsSpan(end)) >= highWatermark)
            {
                break;
            }
            end += size;
        }
        if (end > 0)
        {
            return (buffer, end);
        }
        ArrayPool<byte>.Shared.Return(buffer);
        if (!minOneBatch)
        {
            return (null, 0);
        }
        Span<byte> prefix = stackalloc byte[RecordBatchHeader.LogOverhead];
        if (segment.ReadFully(position, prefix) < prefix.Length)
        {
            return (null, 0);
        }
        var batchSize = RecordBatchHeader.LogOverhead + BinaryPrimitives.ReadInt32BigEndian(prefix[8..]);
        var whole = ArrayPool<byte>.Shared.Rent(batchSize);
        if (segment.ReadFully(position, whole.AsSpan(0, batchSize)) < batchSize)
        {
            ArrayPool<byte>.Shared.Return(whole);
            return (null, 0);
        }
        return (whole, batchSize);
    }

    private static int FloorSegment(LogSegment[] segments, long offset)
    {
        int low = 0, high = segments.Length - 1, found = 0;
        while (low <= high)
        {
            var mid = (low + high) >>> 1;
            if (segments[mid].BaseOffset <= offset)
            {
                found = mid;
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }
        return found;
    }

    /// <summary>
    /// ListOffsets by timestamp: the first batch whose max timestamp is at or after <paramref name="timestamp"/>
    /// (batch granularity: records are never decompressed). Scans batch headers, which is fine for a rare call.
    /// </summary>
    public OffsetLookup FindOffsetForTimestamp(long timestamp)
    {
        var logStartOffset = LogStartOffset;
        OffsetLookup? found = null;
        try
        {
            foreach (var segment in Volatile.Read(ref _segments))
            {
                segment.VisitHeaders((header, _) =>
                {
                    if (header.LastOffset >= logStartOffset && header.MaxTimestamp >= timestamp)
                    {
                        found = new OffsetLookup(Math.Max(header.BaseOffset, logStartOffset), header.MaxTimestamp);
                        return false;
                    }
                    return true;
                });
                if (found is not null)
                {
                    break;
                }
            }
        }
        catch (ObjectDisposedException)
        {
            // A segment went away during the scan; report nothing found rather than failing the request.
        }
        return found ?? new OffsetLookup(-1, -1);
    }

    /// <summary>ListOffsets -3 (KIP-734): the last offset of the batch with the largest max timestamp.</summary>
    public OffsetLookup FindMaxTimestamp()
    {
        var logStartOffset = LogStartOffset;
        var best = new OffsetLookup(-1, -1);
        try
        {
            foreach (var segment in Volatile.Read(ref _segments))
            {
                segment.VisitHeaders((header, _) =>
                {
                    if (header.LastOffset >= logStartOffset && header.MaxTimestamp > best.Timestamp)
                    {
                        best = new OffsetLookup(header.LastOffset, header.MaxTimestamp);
                    }
                    return true;
                });
            }
        }
        catch (ObjectDisposedException)
        {
            // See FindOffsetForTimestamp.
        }
        return best;
    }

    /// <summary>DeleteRecords: moves the log start offset up to <paramref name="offset"/> (-1 = high watermark).</summary>
    public (ErrorCode Error, long LowWatermark) DeleteRecordsBefore(long offset)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return (ErrorCode.UnknownTopicOrPartition, -1);
            }
            if (offset == -1)
            {
                offset = _highWatermark;
            }
            if (offset < 0 || offset > _highWatermark)
            {
                return (ErrorCode.OffsetOutOfRange, _logStartOffset);
            }
            if (offset > _logStartOffset)
            {
                SetLogStartOffset(offset);
                DeleteSegmentsWhere(s => s.NextOffset <= offset, "log start offset moved by DeleteRecords");
            }
            return (ErrorCode.None, _logStartOffset);
        }
    }

    /// <summary>Deletes the oldest whole segments that break retention.bytes or retention.ms.</summary>
    public void ApplyRetention(TopicConfig config, DateTimeOffset now)
    {
        if (!config.CleanupPolicy.Contains("delete", StringComparison.Ordinal))
        {
            return;
        }
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }
            // As in Kafka: walk from the oldest segment while it is over the size budget or wholly expired.
            var limitBySize = config.RetentionBytes >= 0;
            var excessBytes = limitBySize ? _segments.Sum(s => s.Size) - config.RetentionBytes : 0;
            var oldestKept = config.RetentionMs < 0 ? long.MinValue : now.ToUnixTimeMilliseconds() - config.RetentionMs;
            var expired = 0;
            foreach (var segment in _segments)
            {
                var newest = segment.MaxTimestamp >= 0 ? segment.MaxTimestamp : segment.LastModified.ToUnixTimeMilliseconds();
                var overSize = limitBySize && excessBytes - segment.Size >= 0;
                var tooOld = newest < oldestKept;
                if (segment.Size == 0 || !(overSize || tooOld))
                {
                    break;
                }
                excessBytes -= segment.Size;
                expired++;
            }
            if (expired > 0)
            {
                var doomed = _segments.Take(expired).ToHashSet();
                DeleteSegmentsWhere(doomed.Contains, "retention");
            }
        }
    }

    /// <summary>Deletes a prefix of segments matching <paramref name="predicate"/>; rolls first if that includes the active one.</summary>
    private void DeleteSegmentsWhere(Func<LogSegment, bool> predicate, string reason)
    {
        var doomed = _segments.TakeWhile(predicate).ToList();
        if (doomed.Count == 0)
        {
            return;
        }
        if (doomed.Count == _segments.Length)
        {
            if (_segments[^1].Size == 0)
            {
                doomed.RemoveAt(doomed.Count - 1);
            }
            else
            {
                Roll();
            }
        }
        Volatile.Write(ref _segments, _segments[doomed.Count..]);
        if (_segments[0].BaseOffset > _logStartOffset)
        {
            SetLogStartOffset(_segments[0].BaseOffset);
        }
        foreach (var segment in doomed)
        {
            try
            {
                segment.Delete();
                _logger.LogInformation("{Topic}-{Partition}: deleted segment {Segment} ({Reason})", Topic, Partition, segment.LogPath, reason);
            }
            catch (IOException e)
            {
                // Already out of the log and below the log start offset; a leftover file is harmless.
                _logger.LogWarning(e, "{Topic}-{Partition}: could not delete {Segment}", Topic, Partition, segment.LogPath);
            }
        }
    }

    private void SetLogStartOffset(long offset)
    {
        Volatile.Write(ref _logStartOffset, offset);
        var path = Path.Combine(_directory, LogStartOffsetFile);
        File.WriteAllText(path + ".tmp", offset.ToString(CultureInfo.InvariantCulture));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    private static long ReadLogStartOffset(string directory)
    {
        var path = Path.Combine(directory, LogStartOffsetFile);
        return File.Exists(path) && long.TryParse(File.ReadAllText(path), NumberStyles.None, CultureInfo.InvariantCulture, out var offset) ? offset : 0;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }
            _closed = true;
            foreach (var segment in _segments)
            {
                segment.Dispose();
            }
        }
    }
}
