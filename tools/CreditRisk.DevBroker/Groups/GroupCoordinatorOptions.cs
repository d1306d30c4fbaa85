namespace CreditRisk.DevBroker.Groups;

public sealed class GroupCoordinatorOptions
{
    /// <summary>Folder for committed offsets (created if missing).</summary>
    public required string DataDirectory { get; init; }

    /// <summary>How long a new group waits for more members before its first rebalance completes.</summary>
    public TimeSpan InitialRebalanceDelay { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>Flush committed offsets to the device (fsync), not only to the OS, before acknowledging.</summary>
    public bool FsyncOnCommit { get; init; }

    /// <summary>
    /// Smallest session timeout a JoinGroup may ask for (Kafka: group.min.session.timeout.ms, 6 s).
    /// Lower here so tests can detect dead members quickly.
    /// </summary>
    public TimeSpan MinSessionTimeout { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Largest session timeout a JoinGroup may ask for (Kafka: group.max.session.timeout.ms).</summary>
    public TimeSpan MaxSessionTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Largest OffsetCommit metadata string accepted (Kafka: offset.metadata.max.bytes).</summary>
    public int MaxOffsetMetadataLength { get; init; } = 4096;

    /// <summary>On start, the offsets log is rewritten without superseded records once it exceeds this size.</summary>
    public long OffsetLogCompactionThresholdBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>How often session timeouts, join deadlines and the initial rebalance delay are checked.</summary>
    public TimeSpan TimerInterval { get; init; } = TimeSpan.FromMilliseconds(25);
}
