namespace CreditRisk.Contracts.Rpc;

/// <summary>
/// Which replica answered a call: a service running as several replicas behind one address names itself in this
/// trailer, so a caller (or an operator chasing one answer) can tell them apart.
/// </summary>
public static class ReplicaMetadata
{
    public const string TrailerName = "x-served-by";
}
