namespace CreditRisk.Training.Pipeline;

/// <summary>The values of <c>pipeline_steps.status</c>.</summary>
public static class StepStatuses
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Cached = "cached";

    /// <summary>A step whose output the run has: never executed again.</summary>
    public static bool IsFinished(string status) => status is Succeeded or Cached;
}
