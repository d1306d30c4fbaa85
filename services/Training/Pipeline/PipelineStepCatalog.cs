namespace CreditRisk.Training.Pipeline;

/// <summary>
/// The registered steps in registration order (the pipeline's order), checked once: unique names, and each step
/// consumes only steps before it.
/// </summary>
public sealed class PipelineStepCatalog
{
    public PipelineStepCatalog(IEnumerable<IPipelineStep> steps)
    {
        Steps = [.. steps];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var step in Steps)
        {
            foreach (var consumed in step.Consumes)
            {
                if (!seen.Contains(consumed))
                {
                    throw new InvalidOperationException($"Pipeline step '{step.Name}' consumes '{consumed}', which is not a step registered before it.");
                }
            }
            if (!seen.Add(step.Name))
            {
                throw new InvalidOperationException($"Two pipeline steps are named '{step.Name}'.");
            }
        }
        Names = [.. Steps.Select(step => step.Name)];
    }

    public IReadOnlyList<IPipelineStep> Steps { get; }

    public IReadOnlyList<string> Names { get; }
}
