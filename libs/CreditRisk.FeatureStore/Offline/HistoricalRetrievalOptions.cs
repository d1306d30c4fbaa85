namespace CreditRisk.FeatureStore;

/// <summary>Options of a point-in-time retrieval.</summary>
public sealed record HistoricalRetrievalOptions
{
    /// <summary>Also require created_ts ≤ T: values backfilled after T are not used (no leakage).</summary>
    public bool ExcludeBackfilled { get; init; }

    public static HistoricalRetrievalOptions Default { get; } = new();
}
