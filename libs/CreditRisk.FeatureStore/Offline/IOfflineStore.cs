namespace CreditRisk.FeatureStore;

/// <summary>
/// The append-only history of every feature vector, and point-in-time retrieval over it (Feast semantics):
/// for an entity row (keys, T) and a view, a candidate has event_ts ≤ T and, when the view has a TTL,
/// event_ts ≥ T − ttl (both inclusive) — and, with <see cref="HistoricalRetrievalOptions.ExcludeBackfilled"/>,
/// created_ts ≤ T. The winner has the highest event_ts, then the highest created_ts (then the highest event id,
/// for determinism). No candidate → nulls, and the row is still returned.
/// </summary>
public interface IOfflineStore
{
    /// <summary>Creates or upgrades the schema (idempotent; versioned migrations).</summary>
    Task MigrateAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends rows; a row whose (entity, view, version, event id) is stored already is skipped, so replays change
    /// nothing. Returns the number of rows actually inserted.
    /// </summary>
    Task<long> AppendAsync(IReadOnlyList<FeatureRow> rows, CancellationToken cancellationToken = default);

    /// <summary>Point-in-time join; streams results in request order.</summary>
    IAsyncEnumerable<HistoricalFeatureRow> GetHistoricalFeaturesAsync(
        IAsyncEnumerable<HistoricalEntityRow> entityRows,
        IReadOnlyList<ResolvedFeature> features,
        HistoricalRetrievalOptions? options = null,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// The latest row per entity of one view version (highest event_ts, created_ts, event id), optionally only
    /// among rows with event_ts in [from, to]: what materialisation copies to the online store.
    /// </summary>
    IAsyncEnumerable<FeatureRow> GetLatestRowsAsync(
        FeatureView view, DateTimeOffset? from = null, DateTimeOffset? to = null, CancellationToken cancellationToken = default);
}
