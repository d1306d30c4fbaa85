using System.Buffers.Binary;
using System.Text;

namespace CreditRisk.DevBroker.Protocol;

/// <summary>
/// Reads Kafka protocol primitives (big-endian) from one request body. Every read checks bounds and
/// throws <see cref="MalformedRequestException"/> on truncation, so a bad frame closes only its connection.
/// The <c>flexible</c> overloads switch between classic (int16/int32 lengths) and compact
/// (unsigned varint length + 1) encodings, as the message schemas' flexibleVersions prescribe.
/// </summary>
public sealed class KafkaReader(ReadOnlyMemory<byte> buffer)
{
    private readonly ReadOnlyMemory<byte> _buffer = buffer;
    private int _position;

    public int Position => _position;
    public int Remaining => _buffer.Length - _position;
    public bool End => _position >= _buffer.Length;

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > Remaining)
        {
            throw new MalformedRequestException($"need {count} bytes at offset {_position}, {Remaining} left");
        }
        var span = _buffer.Span.Slice(_position, count);
        _position += count;
        return span;
    }

    public ReadOnlyMemory<byte> TakeMemory(int count)
    {
        if (count < 0 || count > Remaining)
        {
            throw new MalformedRequestException($"need {count} bytes at offset {_position}, {Remaining} left");
        }
        var memory = _buffer.Slice(_position, count);
        _position += count;
        return memory;
    }

    public sbyte ReadInt8() => (sbyte)Take(1)[0];
    public bool ReadBool() => Take(1)[0] != 0;
    public short ReadInt16() => BinaryPrimitives.ReadInt16BigEndian(Take(2));
    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16BigEndian(Take(2));
    public int ReadInt32() => BinaryPrimitives.ReadInt32BigEndian(Take(4));
    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));
    public long ReadInt64() => BinaryPrimitives.ReadInt64BigEndian(Take(8));
    public double ReadFloat64() => BinaryPrimitives.ReadDoubleBigEndian(Take(8));

    public Guid ReadUuid()
    {
        var bytes = Take(16);
        return new Guid(bytes, bigEndian: true);
    }

    public uint ReadUnsignedVarint()
    {
        uint value = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            var b = Take(1)[0];
            value |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
        throw new MalformedRequestException("unsigned varint longer than 5 bytes");
    }

    public int ReadVarint()
    {
        var raw = ReadUnsignedVarint();
        return (int)(raw >> 1) ^ -(int)(raw & 1);
    }

    public long ReadVarlong()
    {
        ulong raw = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            var b = Take(1)[0];
            raw |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return (long)(raw >> 1) ^ -(long)(raw & 1);
            }
        }
        throw new MalformedRequestException("varlong longer than 10 bytes");
    }

    /// <summary>A non-null string (STRING or COMPACT_STRING).</summary>
    public string ReadString(bool flexible) =>
        ReadNullableString(flexible) ?? throw new MalformedRequestException("null where a string is required");

    /// <summary>NULLABLE_STRING or COMPACT_NULLABLE_STRING.</summary>
    public string? ReadNullableString(bool flexible)
    {
        var length = flexible ? (int)ReadUnsignedVarint() - 1 : ReadInt16();
        if (length < 0)
        {
            return null;
        }
        return Encoding.UTF8.GetString(Take(length));
    }

    /// <summary>BYTES / NULLABLE_BYTES or their compact forms; null when the length is -1.</summary>
    public ReadOnlyMemory<byte>? ReadNullableBytes(bool flexible)
    {
        var length = flexible ? (int)ReadUnsignedVarint() - 1 : ReadInt32();
        if (length < 0)
        {
            return null;
        }
        return TakeMemory(length);
    }

    public ReadOnlyMemory<byte> ReadBytes(bool flexible) => ReadNullableBytes(flexible) ?? ReadOnlyMemory<byte>.Empty;

    /// <summary>ARRAY / COMPACT_ARRAY length; -1 for a null array. Rejects lengths that cannot fit.</summary>
    public int ReadArrayLength(bool flexible)
    {
        var length = flexible ? (int)ReadUnsignedVarint() - 1 : ReadInt32();
        if (length > Remaining)
        {
            throw new MalformedRequestException($"array of {length} elements in {Remaining} bytes");
        }
        return length;
    }

    /// <summary>Reads an array with <paramref name="readElement"/>; a null array reads as empty.</summary>
    public List<T> ReadArray<T>(bool flexible, Func<KafkaReader, T> readElement)
    {
        var length = ReadArrayLength(flexible);
        var items = new List<T>(Math.Max(length, 0));
        for (var i = 0; i < length; i++)
        {
            items.Add(readElement(this));
        }
        return items;
    }

    /// <summary>Skips a tagged-field section (flexible versions only). No tag is understood yet.</summary>
    public void SkipTaggedFields()
    {
        var count = ReadUnsignedVarint();
        for (var i = 0; i < count; i++)
        {
            _ = ReadUnsignedVarint();
            var size = (int)ReadUnsignedVarint();
            Take(size);
        }
    }

    /// <summary>Skips tagged fields only when the version is flexible; saves an if at every call site.</summary>
    public void SkipTaggedFields(bool flexible)
    {
        if (flexible)
        {
            SkipTaggedFields();
        }
    }
}
