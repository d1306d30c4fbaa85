using System.Collections.Concurrent;
using System.Buffers.Binary;
using System.Text;
using CreditRisk.Contracts.Common.V1;

namespace CreditRisk.FeatureStore;

/// <summary>
/// The online store's encoding of one vector, a single byte string: the event time (Unix µs, 8 bytes little
/// endian), then per feature [varint name length][UTF-8 name]
/// [varint value length][the protobuf encoding of <see cref="FeatureValue"/>] (empty = null). One blob per
/// (entity, view) keeps a read at one short reply instead of one reply per feature, and decoding skips features not
/// asked for without allocating.
/// </summary>
internal static class VectorCodec
{
    private const byte DoubleTag = 0x09;  // field 1, fixed64
    private const byte Int64Tag = 0x10;   // field 2, varint
    private const byte StringTag = 0x1A;  // field 3, length-delimited
    private const byte BoolTag = 0x20;    // field 4, varint

    public const int HeaderLength = 8;

    public static long EventTime(ReadOnlySpan<byte> blob) => BinaryPrimitives.ReadInt64LittleEndian(blob);

    public static byte[] Encode(long eventTimeMicros, IReadOnlyDictionary<string, FeatureValue> values)
    {
        if (values is FeatureVector vector)
        {
            return Encode(eventTimeMicros, vector);
        }
        var names = new byte[values.Count][];
        var ordered = new FeatureValue[values.Count];
        var i = 0;
        foreach (var (name, value) in values)
        {
            names[i] = NameBytes(name);
            ordered[i++] = value;
        }
        return Encode(eventTimeMicros, names, ordered);
    }

    /// <summary>A computed vector's encoding, made once for both stores.</summary>
    private static byte[] Encode(long eventTimeMicros, FeatureVector vector)
    {
        if (vector.EncodedAt(eventTimeMicros) is { } encoded)
        {
            return encoded;
        }
        var blob = Encode(eventTimeMicros, vector.View.Utf8Names, vector.OrderedValues);
        vector.KeepEncoding(eventTimeMicros, blob);
        return blob;
    }

    private static byte[] Encode(long eventTimeMicros, byte[][] names, FeatureValue[] values)
    {
        // Sized first, then written into one exact array: this runs for every row of both stores.
        var size = HeaderLength;
        for (var i = 0; i < names.Length; i++)
        {
            size += VarintLength((ulong)names[i].Length) + names[i].Length;
            var valueLength = ValueLength(values[i]);
            size += VarintLength((ulong)valueLength) + valueLength;
        }
        var blob = new byte[size];
        var span = blob.AsSpan();
        BinaryPrimitives.WriteInt64LittleEndian(span, eventTimeMicros);
        var offset = HeaderLength;
        for (var i = 0; i < names.Length; i++)
        {
            var nameBytes = names[i];
            var value = values[i];
            WriteVarint(span, ref offset, (ulong)nameBytes.Length);
            nameBytes.CopyTo(span[offset..]);
            offset += nameBytes.Length;
            WriteVarint(span, ref offset, (ulong)ValueLength(value));
            switch (value?.KindCase)
            {
                case FeatureValue.KindOneofCase.DoubleValue:
                    span[offset++] = DoubleTag;
                    BinaryPrimitives.WriteDoubleLittleEndian(span[offset..], value.DoubleValue);
                    offset += 8;
                    break;
                case FeatureValue.KindOneofCase.Int64Value:
                    span[offset++] = Int64Tag;
                    WriteVarint(span, ref offset, (ulong)value.Int64Value);
                    break;
                case FeatureValue.KindOneofCase.StringValue:
                    span[offset++] = StringTag;
                    WriteVarint(span, ref offset, (ulong)Encoding.UTF8.GetByteCount(value.StringValue));
                    offset += Encoding.UTF8.GetBytes(value.StringValue, span[offset..]);
                    break;
                case FeatureValue.KindOneofCase.BoolValue:
                    span[offset++] = BoolTag;
                    span[offset++] = value.BoolValue ? (byte)1 : (byte)0;
                    break;
            }
        }
        return blob;
    }

    /// <summary>
    /// Writes a view's encoding value by value, in the view's order, with the same bytes <see cref="Encode(long, IReadOnlyDictionary{string, FeatureValue})"/>
    /// gives: the stream processor computes a vector per event and view, and <see cref="FeatureValue"/> objects (with
    /// boxed doubles) would be kept by the batches in flight until their writes are done. Numbers, booleans and nulls
    /// only (what window aggregations produce).
    /// </summary>
    public ref struct Writer
    {
        // One scratch buffer per thread, copied out exactly sized.
        [ThreadStatic]
        private static byte[]? t_scratch;

        private readonly byte[][] _names;
        private readonly Span<byte> _span;
        private int _offset;
        private int _next;

        public Writer(FeatureView view, long eventTimeMicros)
        {
            _names = view.Utf8Names;
            var capacity = MaxNumericLength(view);
            if (t_scratch is null || t_scratch.Length < capacity)
            {
                t_scratch = new byte[Math.Max(capacity, 4096)];
            }
            _span = t_scratch;
            BinaryPrimitives.WriteInt64LittleEndian(_span, eventTimeMicros);
            _offset = HeaderLength;
        }

        public void WriteDouble(double value)
        {
            WriteName(9);
            _span[_offset++] = DoubleTag;
            BinaryPrimitives.WriteDoubleLittleEndian(_span[_offset..], value);
            _offset += 8;
        }

        public void WriteInt64(long value)
        {
            WriteName(1 + VarintLength((ulong)value));
            _span[_offset++] = Int64Tag;
            WriteVarint(_span, ref _offset, (ulong)value);
        }

        public void WriteBool(bool value)
        {
            WriteName(2);
            _span[_offset++] = BoolTag;
            _span[_offset++] = value ? (byte)1 : (byte)0;
        }

        public void WriteNull() => WriteName(0);

        /// <summary>The encoding, once every feature of the view is written.</summary>
        public readonly byte[] ToArray() => _next == _names.Length
            ? _span[.._offset].ToArray()
            : throw new InvalidOperationException($"{_next} of {_names.Length} features written.");

        // The header, then per feature the name field and the longest numeric value field (1 + 1 + 10 bytes).
        private static int MaxNumericLength(FeatureView view)
        {
            var length = HeaderLength;
            foreach (var name in view.Utf8Names)
            {
                length += VarintLength((ulong)name.Length) + name.Length + 12;
            }
            return length;
        }

        private void WriteName(int valueLength)
        {
            var name = _names[_next++];
            WriteVarint(_span, ref _offset, (ulong)name.Length);
            name.CopyTo(_span[_offset..]);
            _offset += name.Length;
            WriteVarint(_span, ref _offset, (ulong)valueLength);
        }
    }

    /// <summary>Protobuf length of a value (0 = null).</summary>
    private static int ValueLength(FeatureValue? value) => value?.KindCase switch
    {
        FeatureValue.KindOneofCase.DoubleValue => 9,
        FeatureValue.KindOneofCase.Int64Value => 1 + VarintLength((ulong)value.Int64Value),
        FeatureValue.KindOneofCase.StringValue => 1 + VarintLength((ulong)Encoding.UTF8.GetByteCount(value.StringValue)) + Encoding.UTF8.GetByteCount(value.StringValue),
        FeatureValue.KindOneofCase.BoolValue => 2,
        _ => 0,
    };

    // Feature names are few and fixed by the registry: their UTF-8 is computed once.
    private static readonly ConcurrentDictionary<string, byte[]> NameCache = new(StringComparer.Ordinal);

    private static byte[] NameBytes(string name) =>
        NameCache.TryGetValue(name, out var bytes) ? bytes : NameCache.Count < 10_000 ? NameCache.GetOrAdd(name, static text => Encoding.UTF8.GetBytes(text)) : Encoding.UTF8.GetBytes(name);

    internal static void WriteVarint(Span<byte> span, ref int offset, ulong value)
    {
        while (value >= 0x80)
        {
            span[offset++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[offset++] = (byte)value;
    }

    /// <summary>
    /// Each feature as stored: the one parser of the layout. A segment's fields are [varint length][UTF-8 name] and
    /// [varint length][FeatureValue] — the payloads of Protobuf length-delimited fields, prefix included.
    /// </summary>
    public static SegmentEnumerator Segments(ReadOnlySpan<byte> blob) => new(blob);

    public ref struct SegmentEnumerator(ReadOnlySpan<byte> blob)
    {
        private readonly ReadOnlySpan<byte> _blob = blob;
        private int _offset = HeaderLength;

        public Segment Current { get; private set; }

        public readonly SegmentEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_offset >= _blob.Length)
            {
                return false;
            }
            var nameStart = _offset;
            var nameLength = (int)ReadVarint(_blob, ref _offset);
            var namePrefix = _offset - nameStart;
            _offset += nameLength;
            var valueStart = _offset;
            var valueLength = (int)ReadVarint(_blob, ref _offset);
            var valuePrefix = _offset - valueStart;
            _offset += valueLength;
            Current = new Segment(_blob[nameStart..valueStart], namePrefix, _blob[valueStart.._offset], valuePrefix);
            return true;
        }
    }

    public readonly ref struct Segment(ReadOnlySpan<byte> nameField, int namePrefix, ReadOnlySpan<byte> valueField, int valuePrefix)
    {
        /// <summary>The name's length prefix and UTF-8.</summary>
        public ReadOnlySpan<byte> NameField { get; } = nameField;

        /// <summary>The value's length prefix and Protobuf encoding (empty = null).</summary>
        public ReadOnlySpan<byte> ValueField { get; } = valueField;

        public ReadOnlySpan<byte> Name => NameField[namePrefix..];

        public ReadOnlySpan<byte> Value => ValueField[valuePrefix..];

        public void Deconstruct(out ReadOnlySpan<byte> nameField, out ReadOnlySpan<byte> valueField)
        {
            nameField = NameField;
            valueField = ValueField;
        }
    }

    /// <summary>Every feature of a vector.</summary>
    public static Dictionary<string, FeatureValue> DecodeAll(ReadOnlySpan<byte> blob)
    {
        var result = new Dictionary<string, FeatureValue>(StringComparer.Ordinal);
        foreach (var segment in Segments(blob))
        {
            result[Encoding.UTF8.GetString(segment.Name)] = DecodeValue(segment.Value);
        }
        return result;
    }

    /// <summary>
    /// Decodes the wanted features into <paramref name="target"/> (position per name); wanted features absent from
    /// the blob are left null. Returns how many were found.
    /// </summary>
    public static int DecodeInto(ReadOnlySpan<byte> blob, Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> wanted, FeatureValue?[] target)
    {
        Span<char> nameChars = stackalloc char[256];
        var found = 0;
        foreach (var segment in Segments(blob))
        {
            var name = segment.Name;
            var chars = name.Length <= nameChars.Length ? nameChars[..Encoding.UTF8.GetChars(name, nameChars)] : Encoding.UTF8.GetString(name).AsSpan();
            if (wanted.TryGetValue(chars, out var position))
            {
                target[position] = DecodeValue(segment.Value);
                found++;
            }
        }
        return found;
    }

    /// <summary>The values of an encoding that holds <paramref name="count"/> features, in its order.</summary>
    public static FeatureValue[] DecodeOrdered(ReadOnlySpan<byte> blob, int count)
    {
        var values = new FeatureValue[count];
        var position = 0;
        foreach (var segment in Segments(blob))
        {
            values[position++] = DecodeValue(segment.Value);
        }
        return position == count ? values : throw new FormatException($"A stored vector holds {position} features, not {count}.");
    }

    private static FeatureValue DecodeValue(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return new FeatureValue();
        }
        var offset = 1;
        switch (bytes[0])
        {
            case DoubleTag:
                return new FeatureValue { DoubleValue = BinaryPrimitives.ReadDoubleLittleEndian(bytes[1..]) };
            case Int64Tag:
                return new FeatureValue { Int64Value = (long)ReadVarint(bytes, ref offset) };
            case StringTag:
                var length = (int)ReadVarint(bytes, ref offset);
                return new FeatureValue { StringValue = Encoding.UTF8.GetString(bytes.Slice(offset, length)) };
            case BoolTag:
                return new FeatureValue { BoolValue = bytes[1] != 0 };
            default:
                // Anything else protobuf can read (forward compatibility).
                return FeatureValue.Parser.ParseFrom(bytes);
        }
    }

    private static int VarintLength(ulong value)
    {
        var length = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            length++;
        }
        return length;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> bytes, ref int offset)
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = bytes[offset++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }
        throw new FormatException("Malformed varint in a stored feature vector.");
    }
}
