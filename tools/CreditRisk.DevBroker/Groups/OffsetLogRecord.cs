using CreditRisk.DevBroker.Protocol;

namespace CreditRisk.DevBroker.Groups;

/// <summary>
/// One entry of the committed-offsets log. On disk each record is framed as
/// <c>[int32 payload length][uint32 CRC-32 of payload][payload]</c>, so a record torn by a crash is
/// detected (short or failing its checksum) and discarded on replay. The payload starts with a kind
/// byte and the group id; a commit adds topic, partition, offset, leader epoch, timestamp and metadata.
/// Strings use the compact (varint-length) encoding, which has no 32 KiB limit.
/// </summary>
internal sealed record OffsetLogRecord(OffsetLogRecordKind Kind, string GroupId, TopicPartition Partition, CommittedOffset? Offset)
{
    private const int FrameHeaderSize = 8;

    public static OffsetLogRecord Commit(string groupId, TopicPartition partition, CommittedOffset offset) =>
        new(OffsetLogRecordKind.OffsetCommitted, groupId, partition, offset);

    public static OffsetLogRecord GroupDeleted(string groupId) =>
        new(OffsetLogRecordKind.GroupDeleted, groupId, default, null);

    public void WriteTo(KafkaWriter writer)
    {
        var frameStart = writer.ReserveInt32();
        var checksumPosition = writer.ReserveInt32();
        var payloadStart = writer.Length;

        writer.WriteInt8((sbyte)Kind);
        writer.WriteString(GroupId, flexible: true);
        if (Kind == OffsetLogRecordKind.OffsetCommitted)
        {
            var offset = Offset!;
            writer.WriteString(Partition.Topic, flexible: true);
            writer.WriteInt32(Partition.Partition);
            writer.WriteInt64(offset.Offset);
            writer.WriteInt32(offset.LeaderEpoch);
            writer.WriteInt64(offset.CommitTimestampMs);
            writer.WriteString(offset.Metadata, flexible: true);
        }

        var payload = writer.WrittenSpan[payloadStart..];
        writer.PatchInt32(frameStart, payload.Length);
        writer.PatchInt32(checksumPosition, unchecked((int)Crc32.Compute(payload)));
    }

    /// <summary>
    /// Reads the record framed at the start of <paramref name="data"/>. Returns false when the frame is
    /// incomplete or fails its checksum: the torn tail of a log written by a process that died mid-append.
    /// </summary>
    public static bool TryRead(ReadOnlyMemory<byte> data, out OffsetLogRecord? record, out int frameLength)
    {
        record = null;
        frameLength = 0;
        if (data.Length < FrameHeaderSize)
        {
            return false;
        }
        var header = new KafkaReader(data[..FrameHeaderSize]);
        var payloadLength = header.ReadInt32();
        var checksum = header.ReadUInt32();
        if (payloadLength <= 0 || payloadLength > data.Length - FrameHeaderSize)
        {
            return false;
        }
        var payload = data.Slice(FrameHeaderSize, payloadLength);
        if (Crc32.Compute(payload.Span) != checksum)
        {
            return false;
        }

        try
        {
            record = Decode(new KafkaReader(payload));
        }
        catch (MalformedRequestException)
        {
            return false;
        }
        frameLength = FrameHeaderSize + payloadLength;
        return record is not null;
    }

    private static OffsetLogRecord? Decode(KafkaReader reader)
    {
        var kind = (OffsetLogRecordKind)reader.ReadInt8();
        var groupId = reader.ReadString(flexible: true);
        switch (kind)
        {
            case OffsetLogRecordKind.OffsetCommitted:
                var topic = reader.ReadString(flexible: true);
                var partition = reader.ReadInt32();
                var offset = reader.ReadInt64();
                var leaderEpoch = reader.ReadInt32();
                var timestamp = reader.ReadInt64();
                var metadata = reader.ReadNullableString(flexible: true);
                return Commit(groupId, new TopicPartition(topic, partition), new CommittedOffset(offset, leaderEpoch, metadata, timestamp));
            case OffsetLogRecordKind.GroupDeleted:
                return GroupDeleted(groupId);
            default:
                return null;
        }
    }
}
