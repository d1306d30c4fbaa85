using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using CreditRisk.DevBroker.Protocol;

namespace CreditRisk.DevBroker.Network;

/// <summary>
/// Splits a connection's byte stream into size-prefixed request frames. Reads into one pooled buffer (many
/// small pipelined requests per receive); a frame larger than that buffer gets a pooled buffer of its own,
/// returned on the next read. A frame stays valid until the next <see cref="ReadFrameAsync"/>.
/// </summary>
internal sealed class FrameReader(Socket socket, int maxFrameBytes) : IDisposable
{
    private const int BufferBytes = 64 * 1024;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
    private byte[]? _largeFrame;
    private int _start;
    private int _end;

    /// <summary>The next frame's bytes (without the size prefix); null when the peer closed the connection.</summary>
    public async ValueTask<Memory<byte>?> ReadFrameAsync(CancellationToken cancellationToken)
    {
        ReturnLargeFrame();
        if (!await FillAsync(sizeof(int), cancellationToken))
        {
            return null;
        }
        var size = BinaryPrimitives.ReadInt32BigEndian(_buffer.AsSpan(_start));
        if (size < 0 || size > maxFrameBytes)
        {
            throw new MalformedRequestException($"request size {size} is outside 0..{maxFrameBytes}");
        }
        _start += sizeof(int);
        if (size <= _buffer.Length)
        {
            if (!await FillAsync(size, cancellationToken))
            {
                return null;
            }
            var frame = _buffer.AsMemory(_start, size);
            _start += size;
            return frame;
        }
        // Larger than the receive buffer: move what is buffered into a frame-sized buffer and read the rest into it.
        _largeFrame = ArrayPool<byte>.Shared.Rent(size);
        var buffered = _end - _start;
        _buffer.AsSpan(_start, buffered).CopyTo(_largeFrame);
        _start = _end = 0;
        while (buffered < size)
        {
            var read = await socket.ReceiveAsync(_largeFrame.AsMemory(buffered, size - buffered), SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                return null;
            }
            buffered += read;
        }
        return _largeFrame.AsMemory(0, size);
    }

    /// <summary>Ensures <paramref name="count"/> contiguous bytes are buffered at _start; false on end of stream.</summary>
    private async ValueTask<bool> FillAsync(int count, CancellationToken cancellationToken)
    {
        if (_end - _start >= count)
        {
            return true;
        }
        if (_start + count > _buffer.Length)
        {
            // Compact: previous frames are done with, so the unread tail moves to the front.
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        while (_end - _start < count)
        {
            var read = await socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                return false;
            }
            _end += read;
        }
        return true;
    }

    private void ReturnLargeFrame()
    {
        if (_largeFrame is not null)
        {
            ArrayPool<byte>.Shared.Return(_largeFrame);
            _largeFrame = null;
        }
    }

    public void Dispose()
    {
        ReturnLargeFrame();
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
