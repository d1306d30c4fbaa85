namespace CreditRisk.Training.Pipeline;

/// <summary>A row of <c>training.pipeline_runs</c>: what the run trains and where it stands.</summary>
public sealed record PipelineRunRecord(
    PipelineRunDefinition Definition,
    string RequestId,
    bool CacheEnabled,
    string Status,
    string? FailureReason,
    bool CancelRequested,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt)
{
    public Guid RunId => Definition.RunId;
}
