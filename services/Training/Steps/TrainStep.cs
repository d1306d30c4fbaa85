using System.Globalization;
using CreditRisk.Contracts.Registry.V1;
using CreditRisk.Modeling.Evaluation;
using CreditRisk.Modeling.Training;
using CreditRisk.Training.Pipeline;
using Google.Protobuf.WellKnownTypes;

namespace CreditRisk.Training.Steps;

/// <summary>
/// train: holds out the latest applications (oot_fraction), searches every candidate with seeded stratified k-fold
/// CV on the rest (<see cref="CandidateTrainer"/>), refits the winner (highest CV ROC AUC) on all of the rest and
/// stores the model zip, its signature naming the feature service. In the registry: the experiment named after the
/// model, the pipeline's parent run (found again by its pipeline_run_id tag on a re-execution) with its dataset input,
/// and one finished child run per candidate (parent_run_id tag, the best trial's hyperparameters and CV metrics).
/// </summary>
public sealed class TrainStep(TrainingRegistry registry) : IPipelineStep
{
    public const string ModelBlob = "model.zip";
    public const string SummaryBlob = "training_summary.json";

    public string Name => TrainingStepNames.Train;

    public string CodeVersion => "1";

    public IReadOnlyList<string> Consumes => [TrainingStepNames.BuildTrainingSet, TrainingStepNames.Validate];

    public bool Cacheable => true;

    public async Task<StepOutput> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var run = context.Run;
        var parameters = StepParameters.Of(run);
        var built = context.OutputOf(TrainingStepNames.BuildTrainingSet);
        var set = TrainingSet.FromBytes(await context.GetBlobAsync(built.Blob(BuildTrainingSetStep.TrainingSetBlob), cancellationToken));
        var slice = OutOfTimeSlice.Of(set, parameters.OutOfTimeFraction);
        var earlier = slice.Earlier;
        try
        {
            StratifiedFolds.Assign(earlier.Labels, parameters.Folds, parameters.Seed);
        }
        catch (ArgumentException tooFew)
        {
            throw new PipelineStepFailedException($"the rows before the out-of-time slice ({earlier.Count}) cannot be cross-validated: {tooFew.Message}", tooFew);
        }
        context.Log(string.Create(CultureInfo.InvariantCulture,
            $"{earlier.Count} rows searched ({earlier.PositiveCount} defaulted), {slice.LatestRows.Count} latest held out; {parameters.Folds}-fold CV, {parameters.Trials} trials per candidate, seed {parameters.Seed}"));

        var report = new CandidateTrainer(new TrainingSettings(parameters.Folds, parameters.Seed, parameters.Trials)).Train(earlier);
        var types = set.Features.ToDictionary(feature => feature.Name, feature => feature.Type, StringComparer.Ordinal);
        var signature = report.Model.Signature with
        {
            Inputs = report.Model.Signature.Inputs.Select(input => input with { Type = types[input.Name] }).ToList(),
            FeatureService = set.FeatureService,
            FeatureServiceVersion = set.FeatureServiceVersion,
        };
        var model = report.Model.WithSignature(signature);
        var modelDigest = await context.PutBlobAsync(model.ToBytes(), cancellationToken);
        var summary = TrainingSummary.Of(report, earlier.Count, slice.LatestRows.Count);
        var summaryDigest = await context.PutBlobAsync(summary.ToBytes(), cancellationToken);
        foreach (var candidate in summary.Candidates)
        {
            context.Log(string.Create(CultureInfo.InvariantCulture, $"{candidate.Name}: cv_roc_auc {candidate.CvRocAuc:F4} ± {candidate.CvRocAucStandardDeviation:F4} ({candidate.Hyperparameters})"));
        }

        var experiment = await registry.ExperimentAsync(run.ModelName, cancellationToken);
        var parent = await registry.RunAsync(
            experiment.ExperimentId,
            $"{run.ModelName} pipeline {run.RunId}",
            new Dictionary<string, string> { [TrainingRegistry.PipelineRunTag] = run.RunId.ToString() },
            new Dictionary<string, string>
            {
                ["trigger"] = run.Trigger,
                ["drift_report_id"] = run.DriftReportId ?? "",
                ["dataset_digest"] = built.Value("digest"),
                ["feature_service"] = $"{set.FeatureService}@{set.FeatureServiceVersion}",
            },
            cancellationToken);
        await registry.Client.LogInputsAsync(new LogInputsRequest
        {
            RunId = parent.RunId,
            Inputs =
            {
                new DatasetInput
                {
                    Name = "training_set",
                    Digest = built.Value("digest"),
                    FeatureService = set.FeatureService,
                    FeatureServiceVersion = set.FeatureServiceVersion,
                    RowCount = set.Rows.Count,
                    StartTime = Timestamp.FromDateTimeOffset(set.Rows[0].ApplicationTime),
                    EndTime = Timestamp.FromDateTimeOffset(set.Rows[^1].ApplicationTime),
                },
            },
        }, cancellationToken: cancellationToken);
        var parentParams = new LogBatchRequest { RunId = parent.RunId };
        parentParams.Params.Add(new Dictionary<string, string>
        {
            ["seed"] = Invariant(parameters.Seed),
            ["folds"] = Invariant(parameters.Folds),
            ["trials"] = Invariant(parameters.Trials),
            ["oot_fraction"] = Invariant(parameters.OutOfTimeFraction),
            ["cutoff"] = run.Cutoff.ToString("O", CultureInfo.InvariantCulture),
            ["winner"] = summary.Winner,
        });
        parentParams.Tags.Add(new Dictionary<string, string>
        {
            ["label_positives"] = Invariant(set.Positives),
            ["label_negatives"] = Invariant(set.Negatives),
            ["label_positive_share"] = Invariant((double)set.Positives / set.Rows.Count),
        });
        parentParams.Metrics.Add(new Metric { Key = "cv_roc_auc", Value = report.Winner.Best.Mean.RocAuc });
        await registry.Client.LogBatchAsync(parentParams, cancellationToken: cancellationToken);

        var values = new Dictionary<string, string>
        {
            ["experiment_id"] = experiment.ExperimentId,
            ["parent_run_id"] = parent.RunId,
            ["winner"] = summary.Winner,
            ["cv_roc_auc"] = Invariant(report.Winner.Best.Mean.RocAuc),
            ["training_rows"] = Invariant(earlier.Count),
            ["oot_rows"] = Invariant(slice.LatestRows.Count),
            ["model_sha256"] = modelDigest,
        };
        foreach (var (candidate, childRunId) in await registry.LogCandidatesAsync(experiment.ExperimentId, parent.RunId, report, cancellationToken))
        {
            values[$"candidate_run_{candidate}"] = childRunId;
        }
        return new StepOutput(values, new Dictionary<string, string> { [ModelBlob] = modelDigest, [SummaryBlob] = summaryDigest });
    }

    private static string Invariant(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
