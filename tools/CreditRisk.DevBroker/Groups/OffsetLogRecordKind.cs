namespace CreditRisk.DevBroker.Groups;

/// <summary>Kinds of <see cref="OffsetLogRecord"/>; the values are stored on disk and must not change.</summary>
internal enum OffsetLogRecordKind : sbyte
{
    OffsetCommitted = 1,
    GroupDeleted = 2,
}
