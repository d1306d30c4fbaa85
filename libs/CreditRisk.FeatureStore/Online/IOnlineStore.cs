namespace CreditRisk.FeatureStore;

/// <summary>
/// The latest vector per entity and feature view (version), for serving.
/// </summary>
public interface IOnlineStore
{
    /// <summary>
    /// Stores each row unless the store holds a newer one for its (entity, view, version): newer means a later
    /// event time, then a later created time, then a greater event id (ordinal). Equal rows are no-ops, so
    /// replays change nothing. Returns how many rows were applied.
    /// </summary>
    Task<int> WriteAsync(IReadOnlyList<FeatureRow> rows, CancellationToken cancellationToken = default);

    /// <summary>Reads the features for each row (see <see cref="OnlineFeatureVector"/>), in request order.</summary>
    Task<IReadOnlyList<OnlineFeatureVector>> ReadAsync(
        IReadOnlyList<EntityRow> rows, IReadOnlyList<ResolvedFeature> features, CancellationToken cancellationToken = default);

    /// <summary>The stored row of one entity and view version, or null (TTL not applied): for tests and tools.</summary>
    Task<FeatureRow?> GetRowAsync(Contracts.Common.V1.EntityKey entity, FeatureView view, CancellationToken cancellationToken = default);
}
