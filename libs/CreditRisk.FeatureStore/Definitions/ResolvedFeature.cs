namespace CreditRisk.FeatureStore;

/// <summary>A feature reference resolved against the registry: the exact view version and the feature's definition.</summary>
public sealed record ResolvedFeature(FeatureView View, FeatureDefinition Definition)
{
    /// <summary>The pinned reference, "view@version:feature".</summary>
    public FeatureReference Reference => new(View.Name, Definition.Name, View.Version);

    /// <summary>"view:feature", the name served features carry.</summary>
    public string Name { get; } = $"{View.Name}:{Definition.Name}";
}
