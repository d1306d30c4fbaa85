using CreditRisk.Contracts.Training.V1;

namespace CreditRisk.Scenario;

public static class RunOutputs
{
    /// <summary>A pipeline step's output values; empty when the run has no such step.</summary>
    public static IReadOnlyDictionary<string, string> Of(PipelineRun run, string step)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.Steps.FirstOrDefault(candidate => candidate.Name == step)?.OutputValues
            ?? (IReadOnlyDictionary<string, string>)new Dictionary<string, string>();
    }
}
