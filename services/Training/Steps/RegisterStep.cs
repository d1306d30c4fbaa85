using System.Globalization;
using CreditRisk.Contracts.Registry.V1;
using CreditRisk.Modeling.Models;
using CreditRisk.Modeling.Profiles;
using CreditRisk.Training.Pipeline;

namespace CreditRisk.Training.Steps;

/// <summary>
/// register: uploads model.zip, profile.json (the reference profile of the rows the model was fitted on, with their
/// scores), report.html and validation.json to the pipeline's parent run, and only then creates the model version
/// (feature service and version, input schema from the signature, OOT and CV metrics, the run as lineage), so a failure
/// leaves nothing half-registered. Re-executed, it finds the version already created from this run and reuses it.
/// </summary>
public sealed class RegisterStep(TrainingRegistry registry) : IPipelineStep
{
    public const string ProfileBlob = "profile.json";

    public string Name => TrainingStepNames.Register;

    public string CodeVersion => "1";

    public IReadOnlyList<string> Consumes =>
        [TrainingStepNames.BuildTrainingSet, TrainingStepNames.Validate, TrainingStepNames.Train, TrainingStepNames.Evaluate];

    public bool Cacheable => false;

    public async Task<StepOutput> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var run = context.Run;
        var parameters = StepParameters.Of(run);
        var built = context.OutputOf(TrainingStepNames.BuildTrainingSet);
        var trained = context.OutputOf(TrainingStepNames.Train);
        var evaluated = context.OutputOf(TrainingStepNames.Evaluate);
        var parentRunId = trained.Value("parent_run_id");

        var set = TrainingSet.FromBytes(await context.GetBlobAsync(built.Blob(BuildTrainingSetStep.TrainingSetBlob), cancellationToken));
        var modelBytes = await context.GetBlobAsync(trained.Blob(TrainStep.ModelBlob), cancellationToken);
        var model = CreditRiskModel.Load(new MemoryStream(modelBytes));
        var earlier = OutOfTimeSlice.Of(set, parameters.OutOfTimeFraction).Earlier;
        var profile = ReferenceProfileBuilder.Build(
            earlier, model.ScoreMany(earlier.Values), parameters.Seed, ReferenceProfileBuilder.DefaultSampleSize,
            set.FeatureService, set.FeatureServiceVersion, set.Features.ToDictionary(feature => feature.Name, feature => feature.Type, StringComparer.Ordinal));
        var profileBytes = profile.ToJsonBytes();
        var profileDigest = await context.PutBlobAsync(profileBytes, cancellationToken);

        var existing = await registry.VersionOfRunAsync(run.ModelName, parentRunId, cancellationToken);
        ModelVersion version;
        if (existing is not null)
        {
            context.Log($"version {existing.Version} of {run.ModelName} was already registered from run {parentRunId}: reused");
            version = existing;
        }
        else
        {
            var modelArtifact = await registry.UploadAsync(parentRunId, "model.zip", modelBytes, cancellationToken);
            var profileArtifact = await registry.UploadAsync(parentRunId, "profile.json", profileBytes, cancellationToken);
            await registry.UploadAsync(parentRunId, "report.html",
                await context.GetBlobAsync(evaluated.Blob(EvaluateStep.ReportBlob), cancellationToken), cancellationToken);
            await registry.UploadAsync(parentRunId, "validation.json",
                await context.GetBlobAsync(context.OutputOf(TrainingStepNames.Validate).Blob(ValidateStep.ReportBlob), cancellationToken), cancellationToken);

            var metrics = new Dictionary<string, double> { ["cv_roc_auc"] = double.Parse(trained.Value("cv_roc_auc"), CultureInfo.InvariantCulture) };
            foreach (var key in new[] { "oot_roc_auc", "oot_gini", "oot_ks", "oot_log_loss", "oot_brier", "oot_ece" })
            {
                metrics[key] = double.Parse(evaluated.Value(key), CultureInfo.InvariantCulture);
            }
            var log = new LogBatchRequest { RunId = parentRunId };
            log.Metrics.Add(metrics.Select(pair => new Metric { Key = pair.Key, Value = pair.Value }));
            log.Tags.Add("dataset_digest", built.Value("digest"));
            await registry.Client.LogBatchAsync(log, cancellationToken: cancellationToken);

            var request = new CreateModelVersionRequest
            {
                ModelName = run.ModelName,
                RunId = parentRunId,
                FeatureService = set.FeatureService,
                FeatureServiceVersion = set.FeatureServiceVersion,
                ArtifactSha256 = modelArtifact.Sha256,
                ReferenceProfileSha256 = profileArtifact.Sha256,
                InputSchema = { model.Signature.Inputs.Select(input => new SchemaField { Name = input.Name, Type = input.Type ?? input.Kind.ToString().ToLowerInvariant() }) },
            };
            request.Metrics.Add(metrics);
            version = await registry.Client.CreateModelVersionAsync(request, cancellationToken: cancellationToken);
            context.Log($"registered {run.ModelName} version {version.Version} from run {parentRunId}");
        }
        return new StepOutput(
            new Dictionary<string, string>
            {
                ["model_name"] = run.ModelName,
                ["model_version"] = version.Version.ToString(CultureInfo.InvariantCulture),
                ["artifact_sha256"] = version.ArtifactSha256,
                ["reference_profile_sha256"] = version.ReferenceProfileSha256,
                ["run_id"] = parentRunId,
                ["reused"] = existing is null ? "false" : "true",
            },
            new Dictionary<string, string> { [ProfileBlob] = profileDigest });
    }
}
