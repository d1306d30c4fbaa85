using System.Buffers;
using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace CreditRisk.DevBroker.Storage;

/// <summary>
/// One append-only segment file (BASEOFFSET.log, 20 digits as in Kafka) with its sparse offset index.
/// Appends happen under the owning partition's lock; reads use positional I/O on the same handle and may
/// run concurrently, limited to the size the partition published. Data is written straight to the OS
/// (no user-space buffer), so everything acknowledged survives a killed process.
/// </summary>
internal sealed class LogSegment : IDisposable
{
    private const int ScanWindowBytes = 1024 * 1024;

    private readonly SafeFileHandle _log;
    private long _size;
    private int _bytesSinceIndexEntry;

    private LogSegment(string directory, long baseOffset, SafeFileHandle log, long size)
    {
        BaseOffset = baseOffset;
        LogPath = Path.Combine(directory, FileStem(baseOffset) + ".log");
        _log = log;
        _size = size;
        NextOffset = baseOffset;
        Index = OffsetIndex.Open(Path.Combine(directory, FileStem(baseOffset) + ".index"), size);
    }

    public long BaseOffset { get; }
    public string LogPath { get; }
    public OffsetIndex Index { get; }

    /// <summary>Bytes of whole batches in the file.</summary>
    public long Size => Volatile.Read(ref _size);

    /// <summary>Offset after the last batch; equals <see cref="BaseOffset"/> while empty.</summary>
    public long NextOffset { get; private set; }

    /// <summary>Largest batch max timestamp seen (for time retention); -1 when unknown or empty.</summary>
    public long MaxTimestamp { get; private set; } = -1;

    /// <summary>When the segment was last appended to; stands in for timestamps the scan did not cover.</summary>
    public DateTimeOffset LastModified { get; private set; }

    public static string FileStem(long baseOffset) => baseOffset.ToString("D20", System.Globalization.CultureInfo.InvariantCulture);

    public static LogSegment Create(string directory, long baseOffset)
    {
        var path = Path.Combine(directory, FileStem(baseOffset) + ".log");
        var handle = File.OpenHandle(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        var segment = new LogSegment(directory, baseOffset, handle, 0) { LastModified = DateTimeOffset.UtcNow };
        segment.Index.Clear();
        return segment;
    }

    /// <summary>
    /// Opens an existing segment. With <paramref name="recover"/> (the last segment after a restart) every
    /// batch is checked (lengths and CRC), a torn tail is truncated, the index is rebuilt and
    /// <paramref name="onBatch"/> sees each header (to rebuild producer state). Otherwise only the batches
    /// after the last index entry are read, to learn the next offset.
    /// </summary>
    public static LogSegment Open(string directory, long baseOffset, bool recover, Action<RecordBatchHeader>? onBatch, out long truncatedBytes)
    {
        var path = Path.Combine(directory, FileStem(baseOffset) + ".log");
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        var fileSize = RandomAccess.GetLength(handle);
        var segment = new LogSegment(directory, baseOffset, handle, fileSize)
        {
            LastModified = File.GetLastWriteTimeUtc(path),
        };
        long scanFrom = 0;
        if (recover)
        {
            segment.Index.Clear();
        }
        else if (segment.Index.Last is { } last)
        {
            scanFrom = last.Position;
            segment.NextOffset = baseOffset + last.RelativeOffset;
        }
        var validEnd = segment.Scan(scanFrom, fileSize, verifyCrc: recover, onBatch);
        truncatedBytes = fileSize - validEnd;
        if (truncatedBytes > 0)
        {
            RandomAccess.SetLength(handle, validEnd);
            segment._size = validEnd;
            segment.Index.TruncateTo(validEnd);
        }
        return segment;
    }

    /// <summary>Walks batches from <paramref name="from"/>, stopping at the first invalid one; returns where valid data ends.</summary>
    private long Scan(long from, long fileSize, bool verifyCrc, Action<RecordBatchHeader>? onBatch)
    {
        var window = ArrayPool<byte>.Shared.Rent(ScanWindowBytes);
        long windowStart = 0;
        var windowLength = 0;
        try
        {
            var position = from;
            while (position + RecordBatchHeader.Size <= fileSize)
            {
                if (position < windowStart || position + RecordBatchHeader.Size > windowStart + windowLength)
                {
                    windowStart = position;
                    windowLength = ReadFully(position, window.AsSpan(0, (int)Math.Min(window.Length, fileSize - position)));
                }
                var at = (int)(position - windowStart);
                var header = RecordBatchHeader.Read(window.AsSpan(at));
                if (!header.IsStructurallyValid(fileSize - position) || header.BaseOffset < NextOffset)
                {
                    return position;
                }
                if (verifyCrc)
                {
                    if (position + header.TotalSize > windowStart + windowLength)
                    {
                        if (header.TotalSize > window.Length)
                        {
                            ArrayPool<byte>.Shared.Return(window);
                            window = ArrayPool<byte>.Shared.Rent(header.TotalSize);
                        }
                        windowStart = position;
                        windowLength = ReadFully(position, window.AsSpan(0, (int)Math.Min(window.Length, fileSize - position)));
                        at = 0;
                    }
                    if (!RecordBatchHeader.HasValidCrc(window.AsSpan(at, header.TotalSize)))
                    {
                        return position;
                    }
                }
                Track(header, position);
                onBatch?.Invoke(header);
                position += header.TotalSize;
            }
            return position;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(window);
        }
    }

    /// <summary>Appends one batch whose base offset has already been assigned.</summary>
    public void Append(ReadOnlySpan<byte> batch, in RecordBatchHeader header)
    {
        var position = Size;
        RandomAccess.Write(_log, batch, position);
        Track(header, position);
        LastModified = DateTimeOffset.UtcNow;
        Volatile.Write(ref _size, position + batch.Length);
    }

    private void Track(in RecordBatchHeader header, long position)
    {
        if (_bytesSinceIndexEntry >= OffsetIndex.IntervalBytes)
        {
            Index.Append(new OffsetIndexEntry((int)(header.BaseOffset - BaseOffset), (int)position));
            _bytesSinceIndexEntry = 0;
        }
        _bytesSinceIndexEntry += header.TotalSize;
        NextOffset = header.LastOffset + 1;
        MaxTimestamp = Math.Max(MaxTimestamp, header.MaxTimestamp);
    }

    /// <summary>
    /// Position of the batch holding <paramref name="offset"/>, or -1 when it is not below <paramref name="limit"/>.
    /// Starts from the index so at most a few headers are read.
    /// </summary>
    public long FindBatchPosition(long offset, long limit)
    {
        Span<byte> header = stackalloc byte[RecordBatchHeader.LastOffsetDeltaOffset + sizeof(int)];
        long position = Index.FloorPosition(offset - BaseOffset);
        while (position + RecordBatchHeader.Size <= limit)
        {
            if (ReadFully(position, header) < header.Length)
            {
                return -1;
            }
            var baseOffset = BinaryPrimitives.ReadInt64BigEndian(header);
            var lastOffsetDelta = BinaryPrimitives.ReadInt32BigEndian(header[RecordBatchHeader.LastOffsetDeltaOffset..]);
            if (baseOffset + lastOffsetDelta >= offset)
            {
                return position;
            }
            position += RecordBatchHeader.LogOverhead + BinaryPrimitives.ReadInt32BigEndian(header[8..]);
        }
        return -1;
    }

    /// <summary>Calls <paramref name="visit"/> with each batch header from the start until it returns false.</summary>
    public void VisitHeaders(Func<RecordBatchHeader, long, bool> visit)
    {
        Span<byte> header = stackalloc byte[RecordBatchHeader.Size];
        long position = 0;
        var limit = Size;
        while (position + RecordBatchHeader.Size <= limit && ReadFully(position, header) == header.Length)
        {
            var parsed = RecordBatchHeader.Read(header);
            if (!visit(parsed, position))
            {
                return;
            }
            position += parsed.TotalSize;
        }
    }

    public int ReadFully(long position, Span<byte> destination)
    {
        var total = 0;
        while (total < destination.Length)
        {
            var read = RandomAccess.Read(_log, destination[total..], position + total);
            if (read == 0)
            {
                break;
            }
            total += read;
        }
        return total;
    }

    public void FlushToDisk()
    {
        RandomAccess.FlushToDisk(_log);
        Index.Flush();
    }

    public void Delete()
    {
        Dispose();
        File.Delete(LogPath);
        Index.Delete();
    }

    public void Dispose()
    {
        _log.Dispose();
        Index.Dispose();
    }
}
