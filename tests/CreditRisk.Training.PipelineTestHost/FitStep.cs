using CreditRisk.Training.Pipeline;

namespace CreditRisk.Training.PipelineTestHost;

public sealed class FitStep(TestStepJournal journal) : TestStep(journal)
{
    public override string Name => "fit";

    public override IReadOnlyList<string> Consumes => ["prepare"];

    protected override async Task<StepOutput> ComputeAsync(StepContext context, CancellationToken cancellationToken)
    {
        var profile = context.OutputOf("prepare").Blob("profile.json");
        var model = await context.PutBlobAsync(System.Text.Encoding.UTF8.GetBytes("model of " + profile + " seed " + context.Run.Parameter("seed", "1")), cancellationToken);
        return Output(new() { ["auc"] = "0.85" }, new() { ["model.zip"] = model });
    }
}
