namespace CreditRisk.Drift.Service.Monitoring;

/// <summary>A model version's reference, or why it has none (no profile registered, the version unknown, a bad profile).</summary>
public sealed record ReferenceLookup(ReferenceData? Reference, string? MissingReason)
{
    public static ReferenceLookup Missing(string reason) => new(null, reason);
}
