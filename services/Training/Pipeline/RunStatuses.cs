namespace CreditRisk.Training.Pipeline;

/// <summary>The values of <c>pipeline_runs.status</c>.</summary>
public static class RunStatuses
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
}
