namespace CreditRisk.FeatureStore;

/// <summary>Conveniences over <see cref="IOnlineStore"/>.</summary>
public static class OnlineStoreExtensions
{
    /// <summary>Resolves the selection through <see cref="FeatureRegistry"/> and reads.</summary>
    public static Task<IReadOnlyList<OnlineFeatureVector>> ReadAsync(
        this IOnlineStore store, IReadOnlyList<EntityRow> rows, FeatureSelection selection, CancellationToken cancellationToken = default) =>
        store.ReadAsync(rows, FeatureRegistry.Resolve(selection), cancellationToken);
}
