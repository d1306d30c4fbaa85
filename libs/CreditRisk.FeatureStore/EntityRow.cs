using CreditRisk.Contracts.Common.V1;

namespace CreditRisk.FeatureStore;

/// <summary>
/// The keys of one requested row: one <see cref="EntityKey"/> per entity type involved (e.g. customer C-1 and
/// application A-9 for the credit_default service). A feature is looked up with the key whose entity type is its
/// view's entity; when the row has none, the feature is NOT_FOUND (online) or null (historical).
/// </summary>
public sealed record EntityRow(IReadOnlyList<EntityKey> Keys)
{
    public EntityRow(params EntityKey[] keys) : this((IReadOnlyList<EntityKey>)keys)
    {
    }

    public static EntityRow Of(string entity, string id) => new(new EntityKey { Entity = entity, Id = id });

    /// <summary>The id for an entity type, or null.</summary>
    public string? IdFor(string entity)
    {
        foreach (var key in Keys)
        {
            if (key.Entity == entity)
            {
                return key.Id;
            }
        }
        return null;
    }
}
