using System.Buffers.Binary;

namespace CreditRisk.DevBroker.Storage;

/// <summary>
/// The fixed 61-byte header of a record batch (magic v2). The broker only ever looks at headers: record
/// data, compressed or not, is stored and served exactly as the producer sent it.
/// </summary>
internal readonly record struct RecordBatchHeader(
    long BaseOffset,
    int BatchLength,
    sbyte Magic,
    uint Crc,
    short Attributes,
    int LastOffsetDelta,
    long BaseTimestamp,
    long MaxTimestamp,
    long ProducerId,
    short ProducerEpoch,
    int BaseSequence,
    int RecordCount)
{
    public const int Size = 61;

    /// <summary>baseOffset (int64) + batchLength (int32): the part of the header not counted in batchLength.</summary>
    public const int LogOverhead = 12;

    /// <summary>Smallest legal batchLength: the header after the length field with zero records.</summary>
    public const int MinBatchLength = Size - LogOverhead;

    public const int PartitionLeaderEpochOffset = 12;
    public const int MagicOffset = 16;
    public const int CrcOffset = 17;

    /// <summary>The CRC covers everything from the attributes to the end of the batch.</summary>
    public const int AttributesOffset = 21;
    public const int LastOffsetDeltaOffset = 23;
    public const int MaxTimestampOffset = 35;

    public const byte CurrentMagic = 2;
    public const short TimestampTypeLogAppendTime = 0x08;

    public int TotalSize => LogOverhead + BatchLength;
    public long LastOffset => BaseOffset + LastOffsetDelta;
    public bool HasProducerId => ProducerId >= 0;

    /// <summary>Last sequence number in the batch; sequences wrap from int.MaxValue to 0 as in Kafka.</summary>
    public int LastSequence => BaseSequence > int.MaxValue - LastOffsetDelta
        ? LastOffsetDelta - (int.MaxValue - BaseSequence) - 1
        : BaseSequence + LastOffsetDelta;

    /// <summary>Parses a header; the span must hold at least <see cref="Size"/> bytes.</summary>
    public static RecordBatchHeader Read(ReadOnlySpan<byte> span) => new(
        BaseOffset: BinaryPrimitives.ReadInt64BigEndian(span),
        BatchLength: BinaryPrimitives.ReadInt32BigEndian(span[8..]),
        Magic: (sbyte)span[MagicOffset],
        Crc: BinaryPrimitives.ReadUInt32BigEndian(span[CrcOffset..]),
        Attributes: BinaryPrimitives.ReadInt16BigEndian(span[AttributesOffset..]),
        LastOffsetDelta: BinaryPrimitives.ReadInt32BigEndian(span[LastOffsetDeltaOffset..]),
        BaseTimestamp: BinaryPrimitives.ReadInt64BigEndian(span[27..]),
        MaxTimestamp: BinaryPrimitives.ReadInt64BigEndian(span[MaxTimestampOffset..]),
        ProducerId: BinaryPrimitives.ReadInt64BigEndian(span[43..]),
        ProducerEpoch: BinaryPrimitives.ReadInt16BigEndian(span[51..]),
        BaseSequence: BinaryPrimitives.ReadInt32BigEndian(span[53..]),
        RecordCount: BinaryPrimitives.ReadInt32BigEndian(span[57..]));

    /// <summary>True when the stored CRC matches the batch bytes (the whole batch, header included).</summary>
    public static bool HasValidCrc(ReadOnlySpan<byte> batch) =>
        Crc32C.Compute(batch[AttributesOffset..]) == BinaryPrimitives.ReadUInt32BigEndian(batch[CrcOffset..]);

    /// <summary>Structural checks that need only the header; the CRC is checked separately.</summary>
    public bool IsStructurallyValid(long available) =>
        Magic == CurrentMagic && BatchLength >= MinBatchLength && TotalSize <= available && LastOffsetDelta >= 0;
}
