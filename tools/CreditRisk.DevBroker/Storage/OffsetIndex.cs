using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace CreditRisk.DevBroker.Storage;

/// <summary>
/// Sparse offset index of one segment (the .index file): one 8-byte entry (relative offset, position; both
/// big-endian int32) roughly every <see cref="IntervalBytes"/> of log data, pointing at the start of a batch.
/// Kept in memory for lookups and appended to the file for restarts; a missing or damaged file is rebuilt by
/// the segment, so the index never has to be trusted beyond the log it describes.
/// </summary>
internal sealed class OffsetIndex : IDisposable
{
    public const int IntervalBytes = 4096;
    private const int EntrySize = 8;

    private readonly string _path;
    private readonly List<OffsetIndexEntry> _entries;
    private readonly SafeFileHandle _file;

    private OffsetIndex(string path, List<OffsetIndexEntry> entries, SafeFileHandle file)
    {
        _path = path;
        _entries = entries;
        _file = file;
    }

    public OffsetIndexEntry? Last => _entries.Count == 0 ? null : _entries[^1];

    /// <summary>Opens the index, keeping only entries that are ascending and point inside the log.</summary>
    public static OffsetIndex Open(string path, long logSize)
    {
        var file = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        var length = RandomAccess.GetLength(file);
        var bytes = new byte[length - length % EntrySize];
        var read = 0;
        while (read < bytes.Length)
        {
            var n = RandomAccess.Read(file, bytes.AsSpan(read), read);
            if (n == 0)
            {
                break;
            }
            read += n;
        }
        var entries = new List<OffsetIndexEntry>(read / EntrySize);
        for (var at = 0; at + EntrySize <= read; at += EntrySize)
        {
            var entry = new OffsetIndexEntry(
                BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(at)),
                BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(at + 4)));
            var ascending = entries.Count == 0 ||
                (entry.RelativeOffset > entries[^1].RelativeOffset && entry.Position > entries[^1].Position);
            if (!ascending || entry.RelativeOffset < 0 || entry.Position < 0 || entry.Position >= logSize)
            {
                break;
            }
            entries.Add(entry);
        }
        var index = new OffsetIndex(path, entries, file);
        if (entries.Count * EntrySize != length)
        {
            index.Rewrite();
        }
        return index;
    }

    public void Append(OffsetIndexEntry entry)
    {
        Span<byte> bytes = stackalloc byte[EntrySize];
        BinaryPrimitives.WriteInt32BigEndian(bytes, entry.RelativeOffset);
        BinaryPrimitives.WriteInt32BigEndian(bytes[4..], entry.Position);
        RandomAccess.Write(_file, bytes, (long)_entries.Count * EntrySize);
        _entries.Add(entry);
    }

    /// <summary>Position of the last indexed batch starting at or before <paramref name="relativeOffset"/>; 0 if none.</summary>
    public int FloorPosition(long relativeOffset)
    {
        int low = 0, high = _entries.Count - 1, found = -1;
        while (low <= high)
        {
            var mid = (low + high) >>> 1;
            if (_entries[mid].RelativeOffset <= relativeOffset)
            {
                found = mid;
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }
        return found < 0 ? 0 : _entries[found].Position;
    }

    /// <summary>Drops entries at or beyond <paramref name="logSize"/> after the log was truncated.</summary>
    public void TruncateTo(long logSize)
    {
        var keep = _entries.FindIndex(e => e.Position >= logSize);
        if (keep >= 0)
        {
            _entries.RemoveRange(keep, _entries.Count - keep);
            Rewrite();
        }
    }

    public void Clear()
    {
        _entries.Clear();
        Rewrite();
    }

    public void Flush() => RandomAccess.FlushToDisk(_file);

    private void Rewrite()
    {
        RandomAccess.SetLength(_file, 0);
        var bytes = new byte[_entries.Count * EntrySize];
        for (var i = 0; i < _entries.Count; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(i * EntrySize), _entries[i].RelativeOffset);
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(i * EntrySize + 4), _entries[i].Position);
        }
        RandomAccess.Write(_file, bytes, 0);
    }

    public void Delete()
    {
        Dispose();
        File.Delete(_path);
    }

    public void Dispose() => _file.Dispose();
}
