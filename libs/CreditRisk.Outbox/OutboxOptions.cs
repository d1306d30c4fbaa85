namespace CreditRisk.Outbox;

/// <summary>A service's outbox: its table and the relay's settings (bound from the section the service names, e.g. "Registry:Outbox").</summary>
public sealed class OutboxOptions
{
    /// <summary>The schema-qualified table, e.g. "public.outbox"; set by the service, not by configuration.</summary>
    public string Table { get; set; } = "public.outbox";

    /// <summary>The relay's advisory lock when the service set one (see <see cref="OutboxTable"/>); null: derived from the table name.</summary>
    public long? RelayLockId { get; set; }

    /// <summary>Relay outbox events to Kafka from this process (a replica may leave it to others).</summary>
    public bool RelayEnabled { get; set; } = true;

    /// <summary>How often the relay looks for events it was not told about (e.g. written by another replica).</summary>
    public int PollIntervalMs { get; set; } = 1_000;

    public int BatchSize { get; set; } = 100;
}
