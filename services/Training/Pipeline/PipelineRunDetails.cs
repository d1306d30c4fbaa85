namespace CreditRisk.Training.Pipeline;

/// <summary>A run with its steps in pipeline order, their log lines, and the size of every blob they output.</summary>
public sealed record PipelineRunDetails(
    PipelineRunRecord Run,
    IReadOnlyList<PipelineStepRecord> Steps,
    IReadOnlyList<StepLogRecord> Logs,
    IReadOnlyDictionary<string, long> BlobSizes);
