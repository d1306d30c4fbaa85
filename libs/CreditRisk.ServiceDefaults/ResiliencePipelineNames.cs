namespace CreditRisk.ServiceDefaults;

/// <summary>Named Polly pipelines registered by <c>AddServiceDefaults</c> for calls that are not HTTP.</summary>
public static class ResiliencePipelineNames
{
    /// <summary>Retries transient failures of an outgoing call (database, cache, admin API) with
    /// exponential backoff and jitter, bounded by a per-attempt and an overall timeout.</summary>
    public const string OutgoingCall = "creditrisk-outgoing-call";
}
