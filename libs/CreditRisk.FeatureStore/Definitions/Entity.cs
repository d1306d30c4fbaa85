namespace CreditRisk.FeatureStore;

/// <summary>
/// Something features describe, identified by one join key: the <see cref="Name"/> is the entity type of an
/// <see cref="CreditRisk.Contracts.Common.V1.EntityKey"/> ("customer"), the <see cref="JoinKey"/> the column
/// that holds its id in entity rows and events ("customer_id").
/// </summary>
public sealed record Entity(string Name, string JoinKey, string Description);
