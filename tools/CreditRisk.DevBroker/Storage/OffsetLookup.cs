namespace CreditRisk.DevBroker.Storage;

/// <summary>ListOffsets answer for one partition: an offset and the timestamp found with it (-1 when none).</summary>
internal readonly record struct OffsetLookup(long Offset, long Timestamp);
