using System.Globalization;
using System.Text;
using CreditRisk.Training.Pipeline;

namespace CreditRisk.Training.PipelineTestHost;

/// <summary>
/// A test step: records each execution, and misbehaves as the run's parameters say — <c>transient</c> =
/// "step:n" (an IOException on its first n executions in the run), <c>permanent</c> = "step" (a
/// <see cref="PipelineStepFailedException"/>), <c>block</c> = "step" (waits for its gate row, or its token).
/// </summary>
public abstract class TestStep(TestStepJournal journal) : IPipelineStep
{
    public abstract string Name { get; }

    public virtual string CodeVersion => "1";

    public abstract IReadOnlyList<string> Consumes { get; }

    public virtual bool Cacheable => true;

    public async Task<StepOutput> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var runId = context.Run.RunId;
        await journal.RecordAsync(runId, Name, "started");
        context.Log($"{Name} executing on {journal.Replica}");
        var transient = context.Run.Parameter("transient", "none").Split(':');
        if (transient.Length == 2 && transient[0] == Name
            && await journal.ExecutionsAsync(runId, Name) <= int.Parse(transient[1], CultureInfo.InvariantCulture))
        {
            throw new IOException($"{Name}: simulated outage");
        }
        if (context.Run.Parameter("permanent", "none") == Name)
        {
            throw new PipelineStepFailedException($"{Name} found its input unusable");
        }
        if (context.Run.Parameter("block", "none") == Name)
        {
            try
            {
                await journal.WaitForGateAsync(runId, Name, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                await journal.RecordAsync(runId, Name, "cancelled");
                throw;
            }
        }
        var output = await ComputeAsync(context, cancellationToken);
        await journal.RecordAsync(runId, Name, "finished");
        return output;
    }

    protected abstract Task<StepOutput> ComputeAsync(StepContext context, CancellationToken cancellationToken);

    protected static StepOutput Output(Dictionary<string, string> values, Dictionary<string, string>? blobs = null) =>
        new(values, blobs ?? new Dictionary<string, string>());

    protected static async Task<string> PutTextAsync(StepContext context, string text, CancellationToken cancellationToken) =>
        await context.PutBlobAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
}
