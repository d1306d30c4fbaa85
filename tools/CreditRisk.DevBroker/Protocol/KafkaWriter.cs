using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace CreditRisk.DevBroker.Protocol;

/// <summary>
/// Writes Kafka protocol primitives (big-endian) into a growable pooled buffer. The <c>flexible</c>
/// overloads mirror <see cref="KafkaReader"/>. Large record data can be appended as segments
/// (<see cref="WriteRecordsSegment"/>) so fetches need not copy stored batches into one array.
/// </summary>
public sealed class KafkaWriter : IDisposable
{
    private byte[] _buffer;
    private int _length;

    public KafkaWriter(int initialCapacity = 256)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);
    }

    public int Length => _length;
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _length);

    private Span<byte> Grow(int count)
    {
        if (_length + count > _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + count));
            _buffer.AsSpan(0, _length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }

    /// <summary>Drops everything written after <paramref name="length"/> (a handler rewriting its body).</summary>
    public void Truncate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, _length);
        _length = length;
    }

    /// <summary>Reserves 4 bytes for an int32 filled in later (e.g. a size prefix); returns its position.</summary>
    public int ReserveInt32()
    {
        var position = _length;
        Grow(4);
        return position;
    }

    public void PatchInt32(int position, int value) =>
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(position, 4), value);

    public void WriteInt8(sbyte value) => Grow(1)[0] = (byte)value;
    public void WriteBool(bool value) => Grow(1)[0] = value ? (byte)1 : (byte)0;
    public void WriteInt16(short value) => BinaryPrimitives.WriteInt16BigEndian(Grow(2), value);
    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16BigEndian(Grow(2), value);
    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32BigEndian(Grow(4), value);
    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32BigEndian(Grow(4), value);
    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64BigEndian(Grow(8), value);
    public void WriteFloat64(double value) => BinaryPrimitives.WriteDoubleBigEndian(Grow(8), value);

    public void WriteUuid(Guid value)
    {
        if (!value.TryWriteBytes(Grow(16), bigEndian: true, out _))
        {
            throw new InvalidOperationException("UUID did not fit in 16 bytes");
        }
    }

    public void WriteUnsignedVarint(uint value)
    {
        while ((value & ~0x7Fu) != 0)
        {
            Grow(1)[0] = (byte)((value & 0x7F) | 0x80);
            value >>= 7;
        }
        Grow(1)[0] = (byte)value;
    }

    public void WriteVarint(int value) => WriteUnsignedVarint((uint)((value << 1) ^ (value >> 31)));

    public void WriteVarlong(long value)
    {
        var raw = (ulong)((value << 1) ^ (value >> 63));
        while ((raw & ~0x7FUL) != 0)
        {
            Grow(1)[0] = (byte)((raw & 0x7F) | 0x80);
            raw >>= 7;
        }
        Grow(1)[0] = (byte)raw;
    }

    public void WriteRaw(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Grow(bytes.Length));

    /// <summary>STRING / NULLABLE_STRING or their compact forms.</summary>
    public void WriteString(string? value, bool flexible)
    {
        if (value is null)
        {
            if (flexible)
            {
                WriteUnsignedVarint(0);
            }
            else
            {
                WriteInt16(-1);
            }
            return;
        }
        var byteCount = Encoding.UTF8.GetByteCount(value);
        if (flexible)
        {
            WriteUnsignedVarint((uint)byteCount + 1);
        }
        else
        {
            WriteInt16(checked((short)byteCount));
        }
        Encoding.UTF8.GetBytes(value, Grow(byteCount));
    }

    /// <summary>BYTES / NULLABLE_BYTES or their compact forms; <paramref name="isNull"/> writes a null.</summary>
    public void WriteBytes(ReadOnlySpan<byte> value, bool flexible, bool isNull = false)
    {
        if (isNull)
        {
            if (flexible)
            {
                WriteUnsignedVarint(0);
            }
            else
            {
                WriteInt32(-1);
            }
            return;
        }
        WriteLengthPrefix(value.Length, flexible);
        WriteRaw(value);
    }

    /// <summary>ARRAY / COMPACT_ARRAY length (-1 writes a null array).</summary>
    public void WriteArrayLength(int count, bool flexible)
    {
        if (flexible)
        {
            WriteUnsignedVarint((uint)(count + 1));
        }
        else
        {
            WriteInt32(count);
        }
    }

    public void WriteArray<T>(IReadOnlyCollection<T> items, bool flexible, Action<KafkaWriter, T> writeElement)
    {
        WriteArrayLength(items.Count, flexible);
        foreach (var item in items)
        {
            writeElement(this, item);
        }
    }

    /// <summary>An empty tagged-field section; only in flexible versions.</summary>
    public void WriteEmptyTaggedFields(bool flexible = true)
    {
        if (flexible)
        {
            WriteUnsignedVarint(0);
        }
    }

    /// <summary>Length prefix of a BYTES/RECORDS field: int32, or unsigned varint length + 1 when flexible.</summary>
    public void WriteLengthPrefix(int length, bool flexible)
    {
        if (flexible)
        {
            WriteUnsignedVarint((uint)length + 1);
        }
        else
        {
            WriteInt32(length);
        }
    }

    /// <summary>Appends stored record batches verbatim (the caller wrote the length prefix).</summary>
    public void WriteRecordsSegment(ReadOnlySpan<byte> batches) => WriteRaw(batches);

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _length = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
