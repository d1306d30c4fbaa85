using CreditRisk.Contracts.Common.V1;

namespace CreditRisk.FeatureStore;

/// <summary>
/// One computed vector of a feature view for one entity: what both stores hold.
/// <list type="bullet">
/// <item><see cref="EventTime"/>: the time the values describe (point-in-time joins and "newer" compare on it).</item>
/// <item><see cref="CreatedTime"/>: when the platform learnt it (second tie-breaker; the leakage guard compares it).
/// For replays to give identical stores it must be deterministic: use the raw event's envelope recorded_time.</item>
/// <item><see cref="EventId"/>: the raw event that produced it; (entity, view, version, event id) is the idempotency key.</item>
/// </list>
/// Times are stored at microsecond precision (PostgreSQL's); <see cref="Normalize"/> truncates.
/// </summary>
public sealed record FeatureRow(
    EntityKey Entity,
    string FeatureView,
    int ViewVersion,
    IReadOnlyDictionary<string, FeatureValue> Values,
    DateTimeOffset EventTime,
    DateTimeOffset CreatedTime,
    string EventId)
{
    /// <summary>The same row with both times truncated to whole microseconds in UTC.</summary>
    public FeatureRow Normalize() => this with
    {
        EventTime = FeatureTime.Truncate(EventTime),
        CreatedTime = FeatureTime.Truncate(CreatedTime),
    };
}
