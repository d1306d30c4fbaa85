using System.Runtime.CompilerServices;

namespace CreditRisk.FeatureStore;

/// <summary>Conveniences over <see cref="IOfflineStore"/>.</summary>
public static class OfflineStoreExtensions
{
    /// <summary>From an in-memory sequence and a selection resolved through <see cref="FeatureRegistry"/>.</summary>
    public static IAsyncEnumerable<HistoricalFeatureRow> GetHistoricalFeaturesAsync(
        this IOfflineStore store,
        IEnumerable<HistoricalEntityRow> entityRows,
        FeatureSelection selection,
        HistoricalRetrievalOptions? options = null,
        CancellationToken cancellationToken = default) =>
        store.GetHistoricalFeaturesAsync(ToAsync(entityRows), FeatureRegistry.Resolve(selection), options, cancellationToken);

    /// <summary>From an in-memory sequence.</summary>
    public static IAsyncEnumerable<HistoricalFeatureRow> GetHistoricalFeaturesAsync(
        this IOfflineStore store,
        IEnumerable<HistoricalEntityRow> entityRows,
        IReadOnlyList<ResolvedFeature> features,
        HistoricalRetrievalOptions? options = null,
        CancellationToken cancellationToken = default) =>
        store.GetHistoricalFeaturesAsync(ToAsync(entityRows), features, options, cancellationToken);

    private static async IAsyncEnumerable<T> ToAsync<T>(IEnumerable<T> items, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var item in items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return item;
        }
        await Task.CompletedTask;
    }
}
