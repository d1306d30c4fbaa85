using System.Globalization;
using CreditRisk.Training.Pipeline;
using CreditRisk.Training.Steps;

namespace CreditRisk.Training.Bench;

/// <summary>
/// build_training_set without the features service: stores the set the bench built from the CSV (what the real step
/// would retrieve for the imported file) as the run's blob, with the real step's output values and blob name, so the
/// five real steps after it read it as they read the real one.
/// </summary>
public sealed class PreparedTrainingSetStep(PreparedTrainingSets sets) : IPipelineStep
{
    public string Name => TrainingStepNames.BuildTrainingSet;

    public string CodeVersion => "bench-1";

    public IReadOnlyList<string> Consumes => [];

    public bool Cacheable => true;

    public async Task<StepOutput> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var set = sets.For(context.Run.ModelName);
        var digest = await context.PutBlobAsync(set.ToBytes(), cancellationToken);
        context.Log($"training set {digest}: {set.Rows.Count} rows, {set.Features.Count} features of {set.FeatureService}@{set.FeatureServiceVersion} (prepared by the bench)");
        return new StepOutput(
            new Dictionary<string, string>
            {
                ["digest"] = digest,
                ["row_count"] = Invariant(set.Rows.Count),
                ["positives"] = Invariant(set.Positives),
                ["negatives"] = Invariant(set.Negatives),
                ["start_time"] = set.Rows[0].ApplicationTime.ToString("O", CultureInfo.InvariantCulture),
                ["end_time"] = set.Rows[^1].ApplicationTime.ToString("O", CultureInfo.InvariantCulture),
                ["feature_service"] = set.FeatureService,
                ["feature_service_version"] = Invariant(set.FeatureServiceVersion),
            },
            new Dictionary<string, string> { [BuildTrainingSetStep.TrainingSetBlob] = digest });
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
