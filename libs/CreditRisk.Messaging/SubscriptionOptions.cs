namespace CreditRisk.Messaging;

/// <summary>How one subscription consumes and how hard it tries before dead-lettering a record.</summary>
public sealed class SubscriptionOptions
{
    /// <summary>Consumer group; defaults to <see cref="KafkaOptions.GroupId"/>.</summary>
    public string? GroupId { get; set; }

    /// <summary>Topic to consume; defaults to the catalogue's topic for the event type.</summary>
    public string? Topic { get; set; }

    /// <summary>Retries of a failing handler before the record goes to the dead-letter topic.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>First retry delay; doubles each time (with jitter) up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Where a group without a committed offset starts: false (default) at the earliest record, true at the latest —
    /// for a broadcast consumer (a group per instance) that only acts on what happens from now on.
    /// </summary>
    public bool StartAtLatest { get; set; }

    /// <summary>How often handled offsets are committed in the background (also on revoke and shutdown).</summary>
    public int AutoCommitIntervalMs { get; set; } = 1_000;
}
