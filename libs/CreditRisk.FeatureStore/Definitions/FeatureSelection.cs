namespace CreditRisk.FeatureStore;

/// <summary>What a caller asks for: a feature service (version null = latest) or explicit references.</summary>
public sealed record FeatureSelection
{
    private FeatureSelection(string? serviceName, int? serviceVersion, IReadOnlyList<FeatureReference>? references)
    {
        ServiceName = serviceName;
        ServiceVersion = serviceVersion;
        References = references;
    }

    public string? ServiceName { get; }

    public int? ServiceVersion { get; }

    public IReadOnlyList<FeatureReference>? References { get; }

    public static FeatureSelection Service(string name, int? version = null) => new(name, version, null);

    public static FeatureSelection Features(IEnumerable<FeatureReference> references) => new(null, null, references.ToArray());

    /// <summary>From reference strings ("view:feature", "view@2:feature").</summary>
    public static FeatureSelection Features(params IEnumerable<string> references) =>
        new(null, null, references.Select(FeatureReference.Parse).ToArray());
}
