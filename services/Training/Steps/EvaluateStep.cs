using System.Globalization;
using CreditRisk.Contracts.Registry.V1;
using CreditRisk.Modeling.Evaluation;
using CreditRisk.Modeling.Models;
using CreditRisk.Modeling.Reports;
using CreditRisk.Training.Pipeline;

namespace CreditRisk.Training.Steps;

/// <summary>
/// evaluate: scores the out-of-time slice with the new model (metrics, calibration, confusion matrix at the decision
/// threshold, AUC per segment) and renders report.html. When the model has a champion on the same feature service, its
/// artifact is downloaded, checked against its SHA-256 and scored on the SAME slice (champion_oot_*), so promotion
/// compares like with like; otherwise champion_unavailable says why.
/// </summary>
public sealed class EvaluateStep(TrainingRegistry registry) : IPipelineStep
{
    public const string ReportBlob = "report.html";

    public string Name => TrainingStepNames.Evaluate;

    public string CodeVersion => "1";

    public IReadOnlyList<string> Consumes => [TrainingStepNames.BuildTrainingSet, TrainingStepNames.Train];

    // The champion may move between two executions: its comparison is part of what this step records.
    public bool Cacheable => false;

    public async Task<StepOutput> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var run = context.Run;
        var parameters = StepParameters.Of(run);
        var built = context.OutputOf(TrainingStepNames.BuildTrainingSet);
        var trained = context.OutputOf(TrainingStepNames.Train);
        var set = TrainingSet.FromBytes(await context.GetBlobAsync(built.Blob(BuildTrainingSetStep.TrainingSetBlob), cancellationToken));
        var model = CreditRiskModel.Load(new MemoryStream(await context.GetBlobAsync(trained.Blob(TrainStep.ModelBlob), cancellationToken)));
        var summary = TrainingSummary.FromBytes(await context.GetBlobAsync(trained.Blob(TrainStep.SummaryBlob), cancellationToken));
        var slice = OutOfTimeSlice.Of(set, parameters.OutOfTimeFraction);
        var latest = slice.Latest;
        if (latest.PositiveCount == 0 || latest.PositiveCount == latest.Count)
        {
            throw new PipelineStepFailedException(string.Create(CultureInfo.InvariantCulture,
                $"the out-of-time slice ({latest.Count} latest rows, {latest.PositiveCount} defaulted) holds one class only: ROC AUC is undefined; use a larger oot_fraction or a later cut-off"));
        }
        var scores = model.ScoreMany(latest.Values);
        var segments = parameters.Segments
            .Select(name => (name, values: set.CategoryValues(name)))
            .Where(pair => pair.values is not null)
            .ToDictionary(pair => pair.name, pair => (IReadOnlyList<string?>)slice.LatestRows.Select(i => pair.values![i]).ToList());
        var evaluation = ModelEvaluation.Evaluate(latest.Labels, scores, segments, parameters.DecisionThreshold);
        var champion = await ChampionAsync(run.ModelName, set, latest, cancellationToken);
        context.Log(champion.Comparable
            ? string.Create(CultureInfo.InvariantCulture, $"champion v{champion.Version} on the same slice: ROC AUC {champion.RocAuc:F4}")
            : $"no comparison with a champion: {champion.Unavailable}");

        var notes = new List<(string, string)>
        {
            ("Champion on the same slice", champion.Comparable
                ? string.Create(CultureInfo.InvariantCulture, $"version {champion.Version}: ROC AUC {champion.RocAuc:0.0000}, ECE {champion.ExpectedCalibrationError:0.0000}, KS {champion.Ks:0.0000}")
                : champion.Unavailable ?? ""),
        };
        var html = EvaluationReport.Render(new EvaluationReportContent(
            run.ModelName, null, set.FeatureService, set.FeatureServiceVersion, built.Value("digest"),
            summary.TrainingRows, latest.Count, run.Cutoff, model.Signature.Trainer, evaluation, summary.Candidates, notes));
        var reportDigest = await context.PutBlobAsync(System.Text.Encoding.UTF8.GetBytes(html), cancellationToken);

        var m = evaluation.Metrics;
        var values = new Dictionary<string, string>
        {
            ["oot_rows"] = Invariant(latest.Count),
            ["oot_positives"] = Invariant(latest.PositiveCount),
            ["oot_roc_auc"] = Invariant(m.RocAuc),
            ["oot_gini"] = Invariant(m.Gini),
            ["oot_ks"] = Invariant(m.Ks),
            ["oot_log_loss"] = Invariant(m.LogLoss),
            ["oot_brier"] = Invariant(m.Brier),
            ["oot_ece"] = Invariant(evaluation.Calibration.ExpectedCalibrationError),
            ["decision_threshold"] = Invariant(evaluation.Confusion.Threshold),
            ["oot_precision"] = Invariant(evaluation.Confusion.Precision),
            ["oot_recall"] = Invariant(evaluation.Confusion.Recall),
        };
        if (champion.Version is { } version)
        {
            values["champion_version"] = Invariant(version);
        }
        if (champion.Comparable)
        {
            values["champion_oot_roc_auc"] = Invariant(champion.RocAuc!.Value);
            values["champion_oot_ece"] = Invariant(champion.ExpectedCalibrationError!.Value);
            values["champion_oot_ks"] = Invariant(champion.Ks!.Value);
        }
        else
        {
            values["champion_unavailable"] = champion.Unavailable ?? "";
        }
        return new StepOutput(values, new Dictionary<string, string> { [ReportBlob] = reportDigest });
    }

    private async Task<ChampionComparison> ChampionAsync(
        string modelName, TrainingSet set, Modeling.Data.LabelledDataset latest, CancellationToken cancellationToken)
    {
        var champion = await registry.AliasAsync(modelName, TrainingRegistry.ChampionAlias, cancellationToken);
        if (champion is null)
        {
            return ChampionComparison.None;
        }
        if (champion.FeatureService != set.FeatureService || champion.FeatureServiceVersion != set.FeatureServiceVersion)
        {
            return new ChampionComparison(champion.Version, null, null, null,
                $"champion v{champion.Version} uses feature service {champion.FeatureService}@{champion.FeatureServiceVersion}, this run {set.FeatureService}@{set.FeatureServiceVersion}");
        }
        CreditRiskModel championModel;
        try
        {
            var bytes = await registry.DownloadVerifiedAsync(champion.RunId, champion.ArtifactSha256, cancellationToken);
            championModel = CreditRiskModel.Load(new MemoryStream(bytes));
        }
        catch (Exception unusable) when (unusable is InvalidDataException or ArtifactIntegrityException)
        {
            return new ChampionComparison(champion.Version, null, null, null, $"champion v{champion.Version}'s artifact is unusable: {unusable.Message}");
        }
        var columns = set.Features.Select((feature, f) => (feature.Name, f)).ToDictionary(pair => pair.Name, pair => pair.f, StringComparer.Ordinal);
        var missing = championModel.Signature.Inputs.Where(input => !columns.ContainsKey(input.Name)).Select(input => input.Name).ToList();
        if (missing.Count > 0)
        {
            return new ChampionComparison(champion.Version, null, null, null, $"champion v{champion.Version} needs inputs the training set lacks: {string.Join(", ", missing)}");
        }
        var rows = latest.Values.Select(values => (IReadOnlyList<object?>)championModel.Signature.Inputs.Select(input => values[columns[input.Name]]).ToList());
        var scores = championModel.ScoreMany(rows);
        var evaluation = ModelEvaluation.Evaluate(latest.Labels, scores);
        return new ChampionComparison(champion.Version, evaluation.Metrics.RocAuc, evaluation.Calibration.ExpectedCalibrationError, evaluation.Metrics.Ks, null);
    }

    private static string Invariant(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
