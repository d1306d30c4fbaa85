using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace CreditRisk.FeatureStore;

/// <summary>
/// Feature rows in PostgreSQL's binary COPY format (header, one tuple per row, trailer), for the columns
/// <see cref="Columns"/> in that order. The offline store streams this through a raw COPY: writing the tuples here
/// costs a copy of each field, where the typed importer resolved a converter and awaited a state machine for every
/// one of a row's eight fields, a third of the offline writer's CPU.
/// </summary>
/// <remarks>
/// Formats (PostgreSQL's send functions): text is its UTF-8; integer a big-endian int32; timestamptz a big-endian
/// int64 of microseconds since 2000-01-01 UTC; bytea its bytes. Every field is non-null.
/// </remarks>
internal static class FeatureRowCopyEncoder
{
    public const string Columns = "entity_type, entity_id, feature_view, view_version, event_ts, created_ts, event_id, feature_values";

    private const short FieldCount = 8;

    // PostgreSQL's timestamp epoch, in Unix microseconds.
    private const long PostgresEpochMicros = 946_684_800_000_000;

    // The signature "PGCOPY\n\377\r\n\0", then the flags and the header extension's length (both 0).
    private static ReadOnlySpan<byte> Header => [0x50, 0x47, 0x43, 0x4F, 0x50, 0x59, 0x0A, 0xFF, 0x0D, 0x0A, 0x00, 0, 0, 0, 0, 0, 0, 0, 0];

    /// <summary>The stream's start: the signature, flags and header extension.</summary>
    public static void WriteHeader(IBufferWriter<byte> output) => output.Write(Header);

    /// <summary>The stream's end.</summary>
    public static void WriteTrailer(IBufferWriter<byte> output)
    {
        BinaryPrimitives.WriteInt16BigEndian(output.GetSpan(sizeof(short)), -1);
        output.Advance(sizeof(short));
    }

    /// <summary>One row's tuple.</summary>
    public static void Write(FeatureRow row, IBufferWriter<byte> output)
    {
        var eventTime = FeatureTime.ToUnixMicroseconds(FeatureTime.Truncate(row.EventTime));
        var values = VectorCodec.Encode(eventTime, row.Values);
        var span = output.GetSpan(MaxTupleLength(row, values.Length));
        BinaryPrimitives.WriteInt16BigEndian(span, FieldCount);
        var offset = sizeof(short);
        WriteText(span, ref offset, row.Entity.Entity);
        WriteText(span, ref offset, row.Entity.Id);
        WriteText(span, ref offset, row.FeatureView);
        WriteLength(span, ref offset, sizeof(int));
        BinaryPrimitives.WriteInt32BigEndian(span[offset..], row.ViewVersion);
        offset += sizeof(int);
        WriteTimestamp(span, ref offset, eventTime);
        WriteTimestamp(span, ref offset, FeatureTime.ToUnixMicroseconds(FeatureTime.Truncate(row.CreatedTime)));
        WriteText(span, ref offset, row.EventId);
        WriteLength(span, ref offset, values.Length);
        values.CopyTo(span[offset..]);
        output.Advance(offset + values.Length);
    }

    private static int MaxTupleLength(FeatureRow row, int valuesLength)
    {
        var utf8 = Encoding.UTF8;
        var text = utf8.GetMaxByteCount(row.Entity.Entity.Length + row.Entity.Id.Length + row.FeatureView.Length + row.EventId.Length);
        return sizeof(short) + FieldCount * sizeof(int) + text + sizeof(int) + 2 * sizeof(long) + valuesLength;
    }

    private static void WriteLength(Span<byte> span, ref int offset, int length)
    {
        BinaryPrimitives.WriteInt32BigEndian(span[offset..], length);
        offset += sizeof(int);
    }

    private static void WriteText(Span<byte> span, ref int offset, string text)
    {
        var length = Encoding.UTF8.GetBytes(text, span[(offset + sizeof(int))..]);
        WriteLength(span, ref offset, length);
        offset += length;
    }

    private static void WriteTimestamp(Span<byte> span, ref int offset, long unixMicros)
    {
        WriteLength(span, ref offset, sizeof(long));
        BinaryPrimitives.WriteInt64BigEndian(span[offset..], unixMicros - PostgresEpochMicros);
        offset += sizeof(long);
    }
}
