namespace CreditRisk.Training.Pipeline;

/// <summary>A row of <c>training.pipeline_steps</c>.</summary>
public sealed record PipelineStepRecord(
    string Name,
    int Ordinal,
    string Status,
    int Attempts,
    string? CacheKey,
    IReadOnlyDictionary<string, string> InputDigests,
    StepOutput? Output,
    string? OutputDigest,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    double? DurationMs,
    string? Error,
    Guid? CachedFrom);
