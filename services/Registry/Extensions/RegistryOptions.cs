namespace CreditRisk.Registry.Extensions;

/// <summary>Configuration section "Registry" (API keys are read separately, by ApiKeyDirectory).</summary>
public sealed class RegistryOptions
{
    public const string SectionName = "Registry";

    public ArtifactOptions Artifacts { get; set; } = new();

    public OutboxOptions Outbox { get; set; } = new();
}

public sealed class ArtifactOptions
{
    /// <summary>Folder of the local content-addressed store.</summary>
    public string RootPath { get; set; } = ".data/registry-artifacts";

    /// <summary>Largest artifact accepted, in bytes (default 512 MiB).</summary>
    public long MaxArtifactBytes { get; set; } = 512L * 1024 * 1024;
}

public sealed class OutboxOptions
{
    /// <summary>Relay outbox events to Kafka from this process (a replica may leave it to others).</summary>
    public bool RelayEnabled { get; set; } = true;

    /// <summary>How often the relay looks for events it was not told about (e.g. written by another replica).</summary>
    public int PollIntervalMs { get; set; } = 1_000;

    public int BatchSize { get; set; } = 100;
}
