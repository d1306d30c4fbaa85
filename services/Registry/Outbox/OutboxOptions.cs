namespace CreditRisk.Registry.Outbox;

/// <summary>Configuration section "Registry:Outbox" (environment: Registry__Outbox__RelayEnabled, ...).</summary>
public sealed class OutboxOptions
{
    public const string SectionName = "Registry:Outbox";

    /// <summary>Relay outbox events to Kafka from this process (a replica may leave it to others).</summary>
    public bool RelayEnabled { get; set; } = true;

    /// <summary>How often the relay looks for events it was not told about (e.g. written by another replica).</summary>
    public int PollIntervalMs { get; set; } = 1_000;

    public int BatchSize { get; set; } = 100;
}
