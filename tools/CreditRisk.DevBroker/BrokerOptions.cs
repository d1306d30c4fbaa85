namespace CreditRisk.DevBroker;

/// <summary>Settings of one <see cref="KafkaDevBroker"/>. Names mirror the Kafka broker settings they stand for.</summary>
public sealed class BrokerOptions
{
    /// <summary>Address to listen on; also the host advertised in Metadata unless it is a wildcard address.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free port (read the real one from <see cref="KafkaDevBroker.Port"/>).</summary>
    public int Port { get; set; } = 9092;

    public int NodeId { get; set; }

    /// <summary>Root folder for topics, committed offsets and the producer-id counter (created if missing).</summary>
    public required string DataDirectory { get; set; }

    /// <summary>Partitions of auto-created topics and of CreateTopics with num_partitions = -1.</summary>
    public int DefaultPartitions { get; set; } = 1;

    /// <summary>Create unknown topics on Metadata (when the client allows it) and on Produce.</summary>
    public bool AutoCreateTopics { get; set; } = true;

    /// <summary>Default segment.bytes: a segment file is rolled once it would grow beyond this.</summary>
    public long SegmentBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Default retention.bytes per partition; -1 keeps everything.</summary>
    public long RetentionBytes { get; set; } = -1;

    /// <summary>Default retention.ms; segments whose newest record is older are deleted. Negative (e.g. Timeout.InfiniteTimeSpan) = unlimited.</summary>
    public TimeSpan RetentionTime { get; set; } = TimeSpan.FromDays(7);

    /// <summary><see cref="RetentionTime"/> as Kafka's retention.ms (-1 = unlimited).</summary>
    internal long RetentionMs => RetentionTime < TimeSpan.Zero ? -1 : (long)RetentionTime.TotalMilliseconds;

    public TimeSpan RetentionCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Also fsync appended data to the device before acknowledging. Without it, acknowledged data has been
    /// handed to the OS, which survives a process kill (kill -9) but not a power loss.
    /// </summary>
    public bool FsyncOnAppend { get; set; }

    /// <summary>Largest request frame accepted; a bigger size prefix closes the connection.</summary>
    public int MaxRequestBytes { get; set; } = 100 * 1024 * 1024;

    /// <summary>
    /// Upper bound on record bytes in one Fetch response, below the client's max_bytes when that is larger,
    /// so many consumers cannot make the broker buffer unbounded amounts of memory. At least one batch is
    /// always returned, even when it alone is larger.
    /// </summary>
    public int MaxFetchResponseBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Passed to the group coordinator (group.initial.rebalance.delay.ms).</summary>
    public TimeSpan GroupInitialRebalanceDelay { get; set; } = TimeSpan.FromMilliseconds(300);
}
