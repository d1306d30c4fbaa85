using CreditRisk.DevBroker.Protocol;
using Microsoft.Extensions.Logging;

namespace CreditRisk.DevBroker.Groups;

/// <summary>
/// Committed offsets: an in-memory map backed by an append-only log (<see cref="OffsetLogRecord"/>).
/// Every commit is written to the OS (and fsynced when configured) before it is applied and acknowledged,
/// so an acknowledged commit survives kill -9. <see cref="Open"/> replays the log (last write wins),
/// cuts off a torn tail and rewrites the file without superseded records once it has grown.
/// Thread-safe.
/// </summary>
internal sealed class OffsetStore(string directory, bool fsyncOnCommit, long compactionThresholdBytes, ILogger logger) : IDisposable
{
    public const string FileName = "group-offsets.log";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Dictionary<TopicPartition, CommittedOffset>> _offsets = new(StringComparer.Ordinal);
    private FileStream? _log;

    /// <summary>File signature and format version; a file without it is refused rather than overwritten.</summary>
    private static ReadOnlySpan<byte> Magic => "CRGOFS01"u8;

    public string LogPath { get; } = Path.Combine(directory, FileName);

    public void Open()
    {
        lock (_lock)
        {
            if (_log is not null)
            {
                throw new InvalidOperationException("The offset store is already open.");
            }
            Directory.CreateDirectory(directory);
            var validLength = Replay(out var recordCount);
            var liveCount = _offsets.Values.Sum(partitions => partitions.Count);
            if (validLength > compactionThresholdBytes && recordCount > liveCount)
            {
                Compact(recordCount, liveCount);
                validLength = new FileInfo(LogPath).Length;
            }
            _log = OpenForAppend(validLength);
            logger.LogInformation(
                "Loaded {OffsetCount} committed offsets of {GroupCount} groups from {Path}",
                liveCount, _offsets.Count, LogPath);
        }
    }

    /// <summary>Durably records the offsets, then makes them visible. Throws <see cref="IOException"/> if the write fails.</summary>
    public void Commit(string groupId, IReadOnlyList<KeyValuePair<TopicPartition, CommittedOffset>> offsets)
    {
        if (offsets.Count == 0)
        {
            return;
        }
        using var writer = new KafkaWriter(offsets.Count * 64);
        foreach (var (partition, offset) in offsets)
        {
            OffsetLogRecord.Commit(groupId, partition, offset).WriteTo(writer);
        }
        lock (_lock)
        {
            Append(writer.WrittenSpan);
            var group = GetOrAddGroup(groupId);
            foreach (var (partition, offset) in offsets)
            {
                group[partition] = offset;
            }
        }
    }

    /// <summary>Durably forgets every offset of the group.</summary>
    public void DeleteGroup(string groupId)
    {
        using var writer = new KafkaWriter();
        OffsetLogRecord.GroupDeleted(groupId).WriteTo(writer);
        lock (_lock)
        {
            if (!_offsets.ContainsKey(groupId))
            {
                return;
            }
            Append(writer.WrittenSpan);
            _offsets.Remove(groupId);
        }
    }

    public bool TryGet(string groupId, TopicPartition partition, out CommittedOffset? offset)
    {
        lock (_lock)
        {
            offset = null;
            return _offsets.TryGetValue(groupId, out var group) && group.TryGetValue(partition, out offset);
        }
    }

    /// <summary>A snapshot of the group's offsets, ordered by topic then partition.</summary>
    public IReadOnlyList<KeyValuePair<TopicPartition, CommittedOffset>> GetAll(string groupId)
    {
        lock (_lock)
        {
            if (!_offsets.TryGetValue(groupId, out var group))
            {
                return [];
            }
            return group
                .OrderBy(entry => entry.Key.Topic, StringComparer.Ordinal)
                .ThenBy(entry => entry.Key.Partition)
                .ToList();
        }
    }

    public IReadOnlyList<string> GroupIds()
    {
        lock (_lock)
        {
            return _offsets.Keys.ToList();
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _log?.Dispose();
            _log = null;
        }
    }

    private Dictionary<TopicPartition, CommittedOffset> GetOrAddGroup(string groupId)
    {
        if (!_offsets.TryGetValue(groupId, out var group))
        {
            group = [];
            _offsets[groupId] = group;
        }
        return group;
    }

    private void Apply(OffsetLogRecord record)
    {
        switch (record.Kind)
        {
            case OffsetLogRecordKind.OffsetCommitted:
                GetOrAddGroup(record.GroupId)[record.Partition] = record.Offset!;
                break;
            case OffsetLogRecordKind.GroupDeleted:
                _offsets.Remove(record.GroupId);
                break;
        }
    }

    /// <summary>Applies every intact record; returns the length of the intact prefix of the file.</summary>
    private long Replay(out int recordCount)
    {
        recordCount = 0;
        if (!File.Exists(LogPath))
        {
            return 0;
        }
        var bytes = File.ReadAllBytes(LogPath);
        if (bytes.Length < Magic.Length)
        {
            // Only a crash while creating the file leaves less than a header.
            return 0;
        }
        if (!bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new InvalidDataException($"{LogPath} is not a committed-offsets log of this broker (bad signature).");
        }

        var position = Magic.Length;
        while (position < bytes.Length && OffsetLogRecord.TryRead(bytes.AsMemory(position), out var record, out var frameLength))
        {
            Apply(record!);
            position += frameLength;
            recordCount++;
        }
        if (position < bytes.Length)
        {
            logger.LogWarning(
                "Discarding {ByteCount} bytes of torn or corrupt records at offset {Position} of {Path}",
                bytes.Length - position, position, LogPath);
        }
        return position;
    }

    /// <summary>Rewrites the log with only the live offsets, then atomically replaces the old file.</summary>
    private void Compact(int recordCount, int liveCount)
    {
        var temporaryPath = LogPath + ".compacting";
        using (var writer = new KafkaWriter(liveCount * 64 + Magic.Length))
        {
            writer.WriteRaw(Magic);
            foreach (var (groupId, partitions) in _offsets)
            {
                foreach (var (partition, offset) in partitions)
                {
                    OffsetLogRecord.Commit(groupId, partition, offset).WriteTo(writer);
                }
            }
            using var file = new FileStream(temporaryPath, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
            file.Write(writer.WrittenSpan);
            file.Flush(flushToDisk: true);
        }
        File.Move(temporaryPath, LogPath, overwrite: true);
        logger.LogInformation(
            "Compacted {Path} from {RecordCount} to {LiveCount} records", LogPath, recordCount, liveCount);
    }

    private FileStream OpenForAppend(long validLength)
    {
        // Unbuffered: each Write reaches the OS page cache at once, which is what survives kill -9.
        var log = new FileStream(LogPath, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read, bufferSize: 0);
        try
        {
            if (validLength < Magic.Length)
            {
                log.SetLength(0);
                log.Write(Magic);
                log.Flush(flushToDisk: true);
            }
            else if (log.Length != validLength)
            {
                // Appending after a torn record would hide everything written later from the next replay.
                log.SetLength(validLength);
                log.Flush(flushToDisk: true);
            }
            log.Seek(0, SeekOrigin.End);
            return log;
        }
        catch
        {
            log.Dispose();
            throw;
        }
    }

    private void Append(ReadOnlySpan<byte> records)
    {
        var log = _log ?? throw new ObjectDisposedException(nameof(OffsetStore));
        var lengthBefore = log.Length;
        try
        {
            log.Write(records);
            log.Flush(fsyncOnCommit);
        }
        catch (IOException)
        {
            // Drop a partial append so later records are not stranded behind a torn one.
            try
            {
                log.SetLength(lengthBefore);
                log.Seek(0, SeekOrigin.End);
            }
            catch (IOException truncateFailure)
            {
                logger.LogError(truncateFailure, "Could not roll back a failed append to {Path}", LogPath);
            }
            throw;
        }
    }
}
