using CreditRisk.Training.Pipeline;

namespace CreditRisk.Training.PipelineTestHost;

/// <summary>Reads the source row the run's <c>source</c> parameter names: not cacheable, as if reading fresh data.</summary>
public sealed class ExtractStep(TestStepJournal journal) : TestStep(journal)
{
    private readonly TestStepJournal _journal = journal;

    public override string Name => "extract";

    public override IReadOnlyList<string> Consumes => [];

    public override bool Cacheable => false;

    protected override async Task<StepOutput> ComputeAsync(StepContext context, CancellationToken cancellationToken)
    {
        var content = await _journal.SourceAsync(context.Run.Parameter("source", "default"), cancellationToken);
        var digest = await PutTextAsync(context, "id,value\n1," + content + "\n", cancellationToken);
        return Output(new() { ["content"] = content }, new() { ["data.csv"] = digest });
    }
}
