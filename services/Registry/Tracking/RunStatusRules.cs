using CreditRisk.Contracts.Registry.V1;

namespace CreditRisk.Registry.Tracking;

/// <summary>The run lifecycle: RUNNING, then one of the terminal states FINISHED, FAILED, KILLED.</summary>
internal static class RunStatusRules
{
    public static bool IsTerminal(RunStatus status) =>
        status is RunStatus.Finished or RunStatus.Failed or RunStatus.Killed;

    public static bool IsKnown(RunStatus status) =>
        status is RunStatus.Running or RunStatus.Finished or RunStatus.Failed or RunStatus.Killed;

    public static bool TryParse(string text, out RunStatus status)
    {
        status = text.ToUpperInvariant() switch
        {
            "RUNNING" or "RUN_STATUS_RUNNING" => RunStatus.Running,
            "FINISHED" or "RUN_STATUS_FINISHED" => RunStatus.Finished,
            "FAILED" or "RUN_STATUS_FAILED" => RunStatus.Failed,
            "KILLED" or "RUN_STATUS_KILLED" => RunStatus.Killed,
            _ => RunStatus.Unspecified,
        };
        return status != RunStatus.Unspecified;
    }
}
