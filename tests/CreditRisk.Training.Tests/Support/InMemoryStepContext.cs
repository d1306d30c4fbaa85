using System.Collections.Concurrent;
using System.Security.Cryptography;
using CreditRisk.Training.Pipeline;

namespace CreditRisk.Training.Tests.Support;

/// <summary>A step's view of its run for tests that drive steps directly: blobs in memory by SHA-256, earlier outputs set by the test.</summary>
public sealed class InMemoryStepContext(PipelineRunDefinition run) : StepContext
{
    private readonly ConcurrentDictionary<string, byte[]> _blobs = new();
    private readonly Dictionary<string, StepOutput> _outputs = new(StringComparer.Ordinal);

    public override PipelineRunDefinition Run => run;

    public List<string> Lines { get; } = [];

    public InMemoryStepContext With(string step, StepOutput output)
    {
        _outputs[step] = output;
        return this;
    }

    /// <summary>Runs <paramref name="step"/> and keeps its output for the steps after it.</summary>
    public async Task<StepOutput> RunAsync(IPipelineStep step)
    {
        var output = await step.ExecuteAsync(this, TestContext.Current.CancellationToken);
        _outputs[step.Name] = output;
        return output;
    }

    public override StepOutput OutputOf(string stepName) =>
        _outputs.TryGetValue(stepName, out var output) ? output : throw new KeyNotFoundException($"no output of step {stepName}");

    public override Task<string> PutBlobAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var digest = Convert.ToHexStringLower(SHA256.HashData(content.Span));
        _blobs.TryAdd(digest, content.ToArray());
        return Task.FromResult(digest);
    }

    public override Task<byte[]> GetBlobAsync(string digest, CancellationToken cancellationToken) =>
        Task.FromResult(_blobs.TryGetValue(digest, out var content) ? content : throw new KeyNotFoundException($"no blob {digest}"));

    public override void Log(string message)
    {
        lock (Lines)
        {
            Lines.Add(message);
        }
    }

    public static PipelineRunDefinition Definition(
        string model, DateTimeOffset cutoff, string featureService = "credit_default", int featureServiceVersion = 1,
        IReadOnlyDictionary<string, string>? parameters = null, Guid? runId = null) =>
        new(runId ?? Guid.NewGuid(), model, featureService, featureServiceVersion, cutoff,
            parameters ?? new Dictionary<string, string>(), "api", null);
}
