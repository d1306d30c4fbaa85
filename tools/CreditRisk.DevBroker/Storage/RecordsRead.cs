using System.Buffers;
using CreditRisk.DevBroker.Protocol;

namespace CreditRisk.DevBroker.Storage;

/// <summary>
/// Whole batches read from a segment for a Fetch, in a pooled buffer the caller returns with
/// <see cref="Release"/> once the bytes have been copied into the response.
/// </summary>
internal readonly record struct RecordsRead(ErrorCode Error, long HighWatermark, long LogStartOffset, byte[]? Buffer, int Length)
{
    public ReadOnlySpan<byte> Bytes => Buffer is null ? [] : Buffer.AsSpan(0, Length);

    public void Release()
    {
        if (Buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(Buffer);
        }
    }
}
