namespace CreditRisk.FeatureStore;

/// <summary>What a materialisation did, per view: rows read from the offline store, rows the online store applied.</summary>
public sealed record MaterializationResult(IReadOnlyDictionary<string, (long Read, long Applied)> PerView)
{
    public long RowsRead => PerView.Values.Sum(counts => counts.Read);

    public long RowsApplied => PerView.Values.Sum(counts => counts.Applied);
}
