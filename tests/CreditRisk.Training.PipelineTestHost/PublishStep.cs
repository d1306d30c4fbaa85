using CreditRisk.Training.Pipeline;

namespace CreditRisk.Training.PipelineTestHost;

/// <summary>Not cacheable, like registering a version: an effect outside the run.</summary>
public sealed class PublishStep(TestStepJournal journal) : TestStep(journal)
{
    public override string Name => "publish";

    public override IReadOnlyList<string> Consumes => ["report"];

    public override bool Cacheable => false;

    protected override Task<StepOutput> ComputeAsync(StepContext context, CancellationToken cancellationToken) =>
        Task.FromResult(Output(new() { ["published"] = context.OutputOf("report").Blob("report.html") }));
}
