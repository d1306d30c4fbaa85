namespace CreditRisk.DevBroker.Groups;

/// <summary>What OffsetCommit stored for one partition and OffsetFetch returns.</summary>
internal sealed record CommittedOffset(long Offset, int LeaderEpoch, string? Metadata, long CommitTimestampMs);
