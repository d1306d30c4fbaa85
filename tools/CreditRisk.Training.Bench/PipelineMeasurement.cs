namespace CreditRisk.Training.Bench;

/// <summary>
/// One persisted pipeline run of the bench: the training set built from the CSV, each step as the engine recorded it,
/// the run from its claim to its end, the wall time from the request to the observed end, and what it produced.
/// </summary>
public sealed record PipelineMeasurement(
    string Name,
    string ModelName,
    int Rows,
    int Positives,
    TimeSpan SetBuildTime,
    IReadOnlyList<PipelineStepTiming> Steps,
    string Status,
    string? FailureReason,
    TimeSpan? RunTime,
    TimeSpan WallTime,
    IReadOnlyDictionary<string, string> Results)
{
    public bool Succeeded => Status == CreditRisk.Training.Pipeline.RunStatuses.Succeeded;

    public TimeSpan StepTotal => Steps.Aggregate(TimeSpan.Zero, (sum, step) => sum + step.Duration);
}

/// <summary>A step of a measured run: its status, attempts and the duration the engine recorded (zero when none).</summary>
public sealed record PipelineStepTiming(string Name, string Status, int Attempts, TimeSpan Duration, string? Error);
