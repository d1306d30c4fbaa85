namespace CreditRisk.FeatureStore;

/// <summary>The kind a feature's <see cref="CreditRisk.Contracts.Common.V1.FeatureValue"/> holds when set.</summary>
public enum FeatureValueType
{
    Double,
    Int64,
    String,
    Bool,
}
