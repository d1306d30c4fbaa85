namespace CreditRisk.Training.Pipeline;

/// <summary>
/// One step of a training pipeline run (build training set, validate, train, evaluate, register, promote). The engine
/// persists each step's status and output, so a step must be deterministic in what it records: the same inputs and
/// parameters give an output that can replace a re-execution (the step cache reuses it).
/// </summary>
public interface IPipelineStep
{
    /// <summary>Stable name, e.g. <c>build_training_set</c>: the key of its row and output.</summary>
    string Name { get; }

    /// <summary>Changed whenever the step computes something different from the same inputs: part of the cache key.</summary>
    string CodeVersion { get; }

    /// <summary>Names of the earlier steps whose outputs this step reads: their digests are its inputs in the cache key.</summary>
    IReadOnlyList<string> Consumes { get; }

    /// <summary>
    /// Whether a finished execution with the same cache key may be reused instead of running again. False for a step
    /// with effects outside the run (registering a version, moving an alias).
    /// </summary>
    bool Cacheable { get; }

    /// <summary>
    /// Runs the step. Throw <see cref="PipelineStepFailedException"/> for a failure that a retry cannot fix (bad input,
    /// a failed check); any other exception is judged by the engine (transient ones are retried with backoff, bounded).
    /// </summary>
    Task<StepOutput> ExecuteAsync(StepContext context, CancellationToken cancellationToken);
}
