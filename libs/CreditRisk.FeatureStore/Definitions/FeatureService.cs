namespace CreditRisk.FeatureStore;

/// <summary>
/// The named, versioned set of features a model uses. References are pinned to view versions, so a model trained
/// on version N of a service is served exactly the same features.
/// </summary>
public sealed record FeatureService(string Name, int Version, IReadOnlyList<FeatureReference> Features, string Description)
{
    /// <summary>"name@version".</summary>
    public string QualifiedName => $"{Name}@{Version}";
}
