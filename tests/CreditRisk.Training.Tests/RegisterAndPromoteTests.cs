using CreditRisk.Contracts.Registry.V1;
using CreditRisk.Training.Pipeline;
using CreditRisk.Training.Steps;
using CreditRisk.Training.Tests.Support;

namespace CreditRisk.Training.Tests;

/// <summary>
/// validate → train → evaluate → register → promote against the real registry, over synthetic training sets with the
/// same out-of-time slice: the label noise in the rows before it decides which model is better on it.
/// </summary>
public sealed class RegisterAndPromoteTests(StepsFixture steps) : IClassFixture<StepsFixture>
{
    private const string Model = "credit_default_application";

    private static readonly Dictionary<string, string> Quick = new() { ["folds"] = "3", ["trials"] = "1", ["min_rows_per_class"] = "10" };

    private async Task<(InMemoryStepContext Context, StepOutput Promoted)> RunAsync(TrainingSet set)
    {
        var context = new InMemoryStepContext(InMemoryStepContext.Definition(Model, set.Cutoff, set.FeatureService, set.FeatureServiceVersion, Quick));
        var digest = await context.PutBlobAsync(set.ToBytes(), TestContext.Current.CancellationToken);
        context.With(TrainingStepNames.BuildTrainingSet, new StepOutput(
            new Dictionary<string, string> { ["digest"] = digest }, new Dictionary<string, string> { [BuildTrainingSetStep.TrainingSetBlob] = digest }));
        StepOutput? last = null;
        foreach (var name in TrainingStepNames.InOrder.Skip(1))
        {
            last = await context.RunAsync(steps.Step(name));
        }
        return (context, last!);
    }

    [Fact]
    public async Task The_first_version_becomes_champion_a_worse_one_stays_challenger_and_a_better_one_takes_over()
    {
        var registry = steps.RegistryClient;
        var ct = TestContext.Current.CancellationToken;

        var (first, firstPromoted) = await RunAsync(SyntheticTrainingSets.Application(900, seed: 11, noise: 0.5));
        Assert.Equal("champion", firstPromoted.Value("decision"));
        Assert.Contains("first champion", firstPromoted.Value("reason"), StringComparison.Ordinal);
        var v1 = await registry.GetModelVersionByAliasAsync(new GetModelVersionByAliasRequest { ModelName = Model, Alias = "champion" }, cancellationToken: ct);
        Assert.Equal(1, v1.Version);
        Assert.Equal("credit_default_application", v1.FeatureService);
        Assert.Equal(1, v1.FeatureServiceVersion);
        Assert.Contains(v1.InputSchema, field => field.Name == "application:term" && field.Type == "int64");
        Assert.True(v1.Metrics.ContainsKey("oot_roc_auc") && v1.Metrics.ContainsKey("cv_roc_auc"));
        Assert.Equal(first.OutputOf(TrainingStepNames.Train).Value("parent_run_id"), v1.RunId);

        // The parent run: tags, the dataset input, the artifacts, and a finished child run per candidate.
        var parent = await registry.GetRunAsync(new GetRunRequest { RunId = v1.RunId }, cancellationToken: ct);
        Assert.Equal(first.Run.RunId.ToString(), parent.Tags["pipeline_run_id"]);
        Assert.Equal("api", parent.Tags["trigger"]);
        Assert.Equal("champion", parent.Tags["promotion_decision"]);
        Assert.Equal(first.OutputOf(TrainingStepNames.BuildTrainingSet).Value("digest"), parent.Tags["dataset_digest"]);
        Assert.Equal(RunStatus.Finished, parent.Status);
        var input = Assert.Single(parent.Inputs);
        Assert.Equal(900, input.RowCount);
        Assert.Equal("credit_default_application", input.FeatureService);
        var artifacts = await registry.ListArtifactsAsync(new ListArtifactsRequest { RunId = v1.RunId }, cancellationToken: ct);
        Assert.Equal(["model.zip", "profile.json", "report.html", "validation.json"], artifacts.Artifacts.Select(a => a.Path).Order(StringComparer.Ordinal));
        Assert.Equal(v1.ArtifactSha256, artifacts.Artifacts.Single(a => a.Path == "model.zip").Sha256);
        Assert.Equal(v1.ReferenceProfileSha256, artifacts.Artifacts.Single(a => a.Path == "profile.json").Sha256);
        var children = await registry.SearchRunsAsync(new SearchRunsRequest
        {
            ExperimentIds = { parent.ExperimentId },
            Filter = $"tags.parent_run_id = '{v1.RunId}'",
        }, cancellationToken: ct);
        Assert.Equal(["fasttree", "lightgbm", "logistic-regression"], children.Runs.Select(run => run.Tags["candidate"]).Order(StringComparer.Ordinal));
        Assert.All(children.Runs, child =>
        {
            Assert.Equal(RunStatus.Finished, child.Status);
            Assert.True(child.Metrics["cv_roc_auc"] > 0.5, $"{child.Tags["candidate"]}: cv_roc_auc {child.Metrics["cv_roc_auc"]}");
            Assert.NotEmpty(child.Params);
        });

        // Random labels before the slice: worse on the same slice.
        var (_, worse) = await RunAsync(SyntheticTrainingSets.Application(900, seed: 11, noise: 1.0));
        Assert.Equal("challenger", worse.Value("decision"));
        Assert.Contains("stays challenger", worse.Value("reason"), StringComparison.Ordinal);
        Assert.Equal("2", worse.Value("model_version"));
        Assert.Equal(1, (await registry.GetModelVersionByAliasAsync(new GetModelVersionByAliasRequest { ModelName = Model, Alias = "champion" }, cancellationToken: ct)).Version);
        Assert.Equal(2, (await registry.GetModelVersionByAliasAsync(new GetModelVersionByAliasRequest { ModelName = Model, Alias = "challenger" }, cancellationToken: ct)).Version);

        // Clean labels: better than the champion on the same slice.
        var (better, promoted) = await RunAsync(SyntheticTrainingSets.Application(900, seed: 11, noise: 0));
        var evaluated = better.OutputOf(TrainingStepNames.Evaluate);
        Assert.Equal("1", evaluated.Value("champion_version"));
        Assert.True(double.Parse(evaluated.Value("oot_roc_auc"), System.Globalization.CultureInfo.InvariantCulture)
            > double.Parse(evaluated.Value("champion_oot_roc_auc"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("champion", promoted.Value("decision"));
        Assert.Contains("becomes champion", promoted.Value("reason"), StringComparison.Ordinal);
        Assert.Equal(3, (await registry.GetModelVersionByAliasAsync(new GetModelVersionByAliasRequest { ModelName = Model, Alias = "champion" }, cancellationToken: ct)).Version);

        // Register and promote re-executed (after a crash, say): the same version, no new one, the aliases where they were.
        var reRegistered = await better.RunAsync(steps.Step(TrainingStepNames.Register));
        Assert.Equal("true", reRegistered.Value("reused"));
        Assert.Equal("3", reRegistered.Value("model_version"));
        var rePromoted = await better.RunAsync(steps.Step(TrainingStepNames.Promote));
        Assert.Equal("champion", rePromoted.Value("decision"));
        var model = await registry.GetRegisteredModelAsync(new GetRegisteredModelRequest { Name = Model }, cancellationToken: ct);
        Assert.Equal(3, model.LatestVersion);
        var history = await registry.ListAliasHistoryAsync(new ListAliasHistoryRequest { ModelName = Model, Alias = "champion" }, cancellationToken: ct);
        Assert.Equal([1, 3], history.Moves.Select(move => move.ToVersion));
    }

    [Fact]
    public async Task A_re_executed_train_step_reuses_the_parent_run_of_its_pipeline_run()
    {
        var set = SyntheticTrainingSets.Application(300, seed: 21);
        var context = new InMemoryStepContext(InMemoryStepContext.Definition("retried_model", set.Cutoff, set.FeatureService, set.FeatureServiceVersion, Quick));
        var digest = await context.PutBlobAsync(set.ToBytes(), TestContext.Current.CancellationToken);
        context.With(TrainingStepNames.BuildTrainingSet, new StepOutput(
            new Dictionary<string, string> { ["digest"] = digest }, new Dictionary<string, string> { [BuildTrainingSetStep.TrainingSetBlob] = digest }));

        var first = await context.RunAsync(steps.Step(TrainingStepNames.Train));
        var second = await context.RunAsync(steps.Step(TrainingStepNames.Train));

        Assert.Equal(first.Value("parent_run_id"), second.Value("parent_run_id"));
        Assert.Equal(first.Value("candidate_run_lightgbm"), second.Value("candidate_run_lightgbm"));
        var runs = await steps.RegistryClient.SearchRunsAsync(new SearchRunsRequest
        {
            ExperimentIds = { first.Value("experiment_id") },
            Filter = $"tags.pipeline_run_id = '{context.Run.RunId}'",
        }, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Single(runs.Runs);
    }
}
