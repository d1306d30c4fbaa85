namespace CreditRisk.Training.Pipeline;

/// <summary>What a step sees of its run: the run's definition, earlier steps' outputs, the blob store and its log.</summary>
public abstract class StepContext
{
    public abstract PipelineRunDefinition Run { get; }

    /// <summary>The output of an earlier, finished step named in <see cref="IPipelineStep.Consumes"/>.</summary>
    public abstract StepOutput OutputOf(string stepName);

    /// <summary>Stores <paramref name="content"/> (idempotent) and returns its lower-case hex SHA-256.</summary>
    public abstract Task<string> PutBlobAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    public abstract Task<byte[]> GetBlobAsync(string digest, CancellationToken cancellationToken);

    /// <summary>A line in the step's log, kept with the run and shown by the API.</summary>
    public abstract void Log(string message);
}
