namespace CreditRisk.DevBroker.Storage;

/// <summary>A batch starting at <see cref="RelativeOffset"/> (from the segment's base offset) lies at byte <see cref="Position"/>.</summary>
internal readonly record struct OffsetIndexEntry(int RelativeOffset, int Position);
