namespace CreditRisk.FeatureStore;

/// <summary>
/// One row of a training-set request: entity keys, the timestamp T the features must be as of, and the caller's row
/// id (echoed back; rows may repeat and are all returned).
/// </summary>
public sealed record HistoricalEntityRow(EntityRow Entities, DateTimeOffset Timestamp, string RowId);
