using CreditRisk.Training.Pipeline;

namespace CreditRisk.Training.PipelineTestHost;

public sealed class ReportStep(TestStepJournal journal) : TestStep(journal)
{
    public override string Name => "report";

    public override IReadOnlyList<string> Consumes => ["fit"];

    protected override async Task<StepOutput> ComputeAsync(StepContext context, CancellationToken cancellationToken)
    {
        var fit = context.OutputOf("fit");
        var report = await PutTextAsync(context, $"<html><body>AUC {fit.Value("auc")} of {fit.Blob("model.zip")}</body></html>", cancellationToken);
        return Output(new() { ["auc"] = fit.Value("auc") }, new() { ["report.html"] = report });
    }
}
