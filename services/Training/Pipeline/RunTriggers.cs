namespace CreditRisk.Training.Pipeline;

/// <summary>The values of <c>pipeline_runs.trigger</c>: what created a run.</summary>
public static class RunTriggers
{
    public const string Api = "api";
    public const string Schedule = "schedule";
    public const string Drift = "drift";
    public const string Manual = "manual";
}
