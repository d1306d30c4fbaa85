namespace CreditRisk.FeatureStore;

/// <summary>
/// Rebuilds the online store from the offline store: for each view version, the latest row per entity (optionally
/// among rows with event_ts in [from, to]) is written to the online store, whose "older never overwrites newer"
/// rule makes this safe to run while the stream processor writes, and safe to repeat.
/// </summary>
public sealed class Materializer(IOfflineStore offlineStore, IOnlineStore onlineStore, int batchSize = 1_000)
{
    public async Task<MaterializationResult> MaterializeAsync(
        IEnumerable<FeatureView>? views = null,
        DateTimeOffset? from = null,
        DateTimeOffset? to = null,
        CancellationToken cancellationToken = default)
    {
        var perView = new Dictionary<string, (long Read, long Applied)>(StringComparer.Ordinal);
        foreach (var view in views ?? FeatureRegistry.Views)
        {
            long read = 0, applied = 0;
            var batch = new List<FeatureRow>(batchSize);
            await foreach (var row in offlineStore.GetLatestRowsAsync(view, from, to, cancellationToken))
            {
                batch.Add(row);
                read++;
                if (batch.Count == batchSize)
                {
                    applied += await onlineStore.WriteAsync(batch, cancellationToken);
                    batch.Clear();
                }
            }
            if (batch.Count > 0)
            {
                applied += await onlineStore.WriteAsync(batch, cancellationToken);
            }
            perView[view.QualifiedName] = (read, applied);
        }
        return new MaterializationResult(perView);
    }
}
