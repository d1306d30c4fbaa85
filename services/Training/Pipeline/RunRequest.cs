namespace CreditRisk.Training.Pipeline;

/// <summary>
/// A trigger's request for a run: the model, overrides of its configured defaults (null: the default), the
/// idempotency key, and where it came from.
/// </summary>
public sealed record RunRequest(
    string ModelName,
    string RequestId,
    string Trigger,
    string? FeatureService = null,
    int? FeatureServiceVersion = null,
    DateTimeOffset? Cutoff = null,
    IReadOnlyDictionary<string, string>? Parameters = null,
    bool CacheEnabled = true,
    string? DriftReportId = null);
