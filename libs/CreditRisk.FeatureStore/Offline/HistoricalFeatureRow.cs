using CreditRisk.Contracts.Common.V1;

namespace CreditRisk.FeatureStore;

/// <summary>
/// One answered row: the request row, its position in the request (0-based; results stream in this order) and one
/// <see cref="Feature"/> per requested feature in request order, named "view:feature". A feature with no candidate
/// has an unset value and no event time. The echoed <see cref="HistoricalEntityRow.Entities"/> holds the keys of the
/// entity types the requested views use (others are not sent to the database); the row id and timestamp are echoed
/// as given (the timestamp truncated to microseconds, in UTC).
/// </summary>
public sealed record HistoricalFeatureRow(long RowNumber, HistoricalEntityRow EntityRow, IReadOnlyList<Feature> Features);
