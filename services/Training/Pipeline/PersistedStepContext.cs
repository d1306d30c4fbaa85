namespace CreditRisk.Training.Pipeline;

/// <summary>The <see cref="StepContext"/> of a step executed by the engine: outputs of finished steps, the blob store, its log.</summary>
internal sealed class PersistedStepContext(
    PipelineRunDefinition run,
    IPipelineStep step,
    IReadOnlyDictionary<string, StepOutput> finished,
    BlobStore blobs,
    StepLogWriter log) : StepContext
{
    public override PipelineRunDefinition Run => run;

    public override StepOutput OutputOf(string stepName)
    {
        if (!step.Consumes.Contains(stepName, StringComparer.Ordinal))
        {
            // Reading an undeclared output would escape the cache key.
            throw new InvalidOperationException($"Step '{step.Name}' reads the output of '{stepName}' but does not list it in Consumes.");
        }
        return finished.TryGetValue(stepName, out var output)
            ? output
            : throw new InvalidOperationException($"Step '{stepName}' has not finished before '{step.Name}'.");
    }

    public override Task<string> PutBlobAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken) => blobs.PutAsync(content, cancellationToken);

    public override Task<byte[]> GetBlobAsync(string digest, CancellationToken cancellationToken) => blobs.GetAsync(digest, cancellationToken);

    public override void Log(string message) => log.Write(message);
}
