namespace CreditRisk.Registry.Artifacts;

/// <summary>Configuration section "Registry:Artifacts" (environment: Registry__Artifacts__RootPath, ...).</summary>
public sealed class ArtifactOptions
{
    public const string SectionName = "Registry:Artifacts";

    /// <summary>Folder of the local content-addressed store.</summary>
    public string RootPath { get; set; } = ".data/registry-artifacts";

    /// <summary>Largest artifact accepted, in bytes (default 512 MiB).</summary>
    public long MaxArtifactBytes { get; set; } = 512L * 1024 * 1024;
}
