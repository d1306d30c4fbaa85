namespace CreditRisk.Features.Processing;

/// <summary>
/// Reads just the envelope's event time of a raw record (field 1 of every event, its field 3), without parsing the
/// rest: the event-time aligner needs it for every record before the record is decoded, so this allocates nothing.
/// </summary>
public static class EnvelopePeek
{
    private const int Varint = 0;
    private const int Fixed64 = 1;
    private const int LengthDelimited = 2;
    private const int Fixed32 = 5;

    private const int EnvelopeField = 1;
    private const int EventTimeField = 3;
    private const int SecondsField = 1;
    private const int NanosField = 2;

    // Timestamp's valid range: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z.
    private const long MinSeconds = -62_135_596_800;
    private const long MaxSeconds = 253_402_300_799;

    /// <summary>The event time, or null when the value is not a readable event (the decoder will dead-letter it).</summary>
    public static DateTimeOffset? EventTime(byte[]? value)
    {
        if (value is null)
        {
            return null;
        }
        // As protobuf merges them, later occurrences of a field win: every occurrence is read.
        long? seconds = null;
        var nanos = 0L;
        var found = false;
        var message = new FieldReader(value);
        while (message.Next(out var field))
        {
            if (field.Number != EnvelopeField || field.WireType != LengthDelimited)
            {
                continue;
            }
            var envelope = new FieldReader(field.Bytes);
            while (envelope.Next(out var envelopeField))
            {
                if (envelopeField.Number != EventTimeField || envelopeField.WireType != LengthDelimited)
                {
                    continue;
                }
                found = true;
                var timestamp = new FieldReader(envelopeField.Bytes);
                while (timestamp.Next(out var timestampField))
                {
                    if (timestampField.WireType == Varint && timestampField.Number == SecondsField)
                    {
                        seconds = (long)timestampField.Varint;
                    }
                    else if (timestampField.WireType == Varint && timestampField.Number == NanosField)
                    {
                        nanos = (int)timestampField.Varint;
                    }
                }
                if (timestamp.Malformed)
                {
                    return null;
                }
            }
            if (envelope.Malformed)
            {
                return null;
            }
        }
        if (message.Malformed || !found)
        {
            return null;
        }
        var wholeSeconds = seconds ?? 0;
        if (wholeSeconds is < MinSeconds or > MaxSeconds || nanos is < 0 or > 999_999_999)
        {
            return null;
        }
        return DateTimeOffset.UnixEpoch.AddTicks(wholeSeconds * TimeSpan.TicksPerSecond + nanos / 100);
    }

    private readonly ref struct Field(int number, int wireType, ulong varint, ReadOnlySpan<byte> bytes)
    {
        public int Number { get; } = number;

        public int WireType { get; } = wireType;

        public ulong Varint { get; } = varint;

        public ReadOnlySpan<byte> Bytes { get; } = bytes;
    }

    /// <summary>The fields of one message in order; <see cref="Malformed"/> once the bytes stop being a message.</summary>
    private ref struct FieldReader(ReadOnlySpan<byte> message)
    {
        private readonly ReadOnlySpan<byte> _message = message;
        private int _offset;

        public bool Malformed { get; private set; }

        public bool Next(out Field field)
        {
            field = default;
            if (_offset >= _message.Length || Malformed)
            {
                return false;
            }
            if (!TryReadVarint(_message, ref _offset, out var tag) || tag >> 3 is 0 or > int.MaxValue)
            {
                return Fail();
            }
            var number = (int)(tag >> 3);
            var wireType = (int)(tag & 7);
            switch (wireType)
            {
                case Varint:
                    if (!TryReadVarint(_message, ref _offset, out var varint))
                    {
                        return Fail();
                    }
                    field = new Field(number, wireType, varint, default);
                    return true;
                case Fixed64 or Fixed32:
                    var width = wireType == Fixed64 ? 8 : 4;
                    if (_message.Length - _offset < width)
                    {
                        return Fail();
                    }
                    _offset += width;
                    field = new Field(number, wireType, 0, default);
                    return true;
                case LengthDelimited:
                    if (!TryReadVarint(_message, ref _offset, out var length) || length > (ulong)(_message.Length - _offset))
                    {
                        return Fail();
                    }
                    field = new Field(number, wireType, 0, _message.Slice(_offset, (int)length));
                    _offset += (int)length;
                    return true;
                default:
                    return Fail();   // groups (3, 4) are in no event; anything else is not protobuf
            }
        }

        private bool Fail()
        {
            Malformed = true;
            return false;
        }
    }

    private static bool TryReadVarint(ReadOnlySpan<byte> bytes, ref int offset, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64 && offset < bytes.Length; shift += 7)
        {
            var b = bytes[offset++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return true;
            }
        }
        return false;
    }
}
