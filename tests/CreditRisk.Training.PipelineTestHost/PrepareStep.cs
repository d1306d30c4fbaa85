using CreditRisk.Training.Pipeline;

namespace CreditRisk.Training.PipelineTestHost;

public sealed class PrepareStep(TestStepJournal journal) : TestStep(journal)
{
    public override string Name => "prepare";

    public override IReadOnlyList<string> Consumes => ["extract"];

    protected override async Task<StepOutput> ComputeAsync(StepContext context, CancellationToken cancellationToken)
    {
        var data = await context.GetBlobAsync(context.OutputOf("extract").Blob("data.csv"), cancellationToken);
        var profile = await PutTextAsync(context, $"{{\"bytes\": {data.Length}, \"seed\": \"{context.Run.Parameter("seed", "1")}\"}}", cancellationToken);
        return Output(new() { ["bytes"] = data.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) }, new() { ["profile.json"] = profile });
    }
}
