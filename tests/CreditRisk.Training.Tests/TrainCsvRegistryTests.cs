using System.CommandLine;
using CreditRisk.Contracts.Registry.V1;
using CreditRisk.Contracts.Rpc;
using CreditRisk.Testing.Hosting;
using CreditRisk.Testing.Kafka;
using CreditRisk.Testing.Postgres;
using CreditRisk.Testing.Processes;
using CreditRisk.Training.Commands;

namespace CreditRisk.Training.Tests;

/// <summary>train-csv with a registry: the result is a run of the experiment with a child run per candidate and the winner's model.</summary>
public sealed class TrainCsvRegistryTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_file_trained_with_a_registry_is_logged_as_a_run_with_its_candidates_and_model()
    {
        await using var broker = new DevBrokerFixture();
        await broker.InitializeAsync();
        await using var database = new PostgresFixture();
        await database.InitializeAsync();
        using var artifacts = new TemporaryDirectory();
        using var registry = await RegistryProcess.StartAsync(
            RegistryProcess.Dll, database.ConnectionString, broker.BootstrapServers, artifacts.Path, TestApiKeys.Writer, "writer", Deadline);
        var file = Path.Combine(artifacts.Path, "credit_head.csv");
        await File.WriteAllLinesAsync(file, File.ReadLines(Path.Combine(AppContext.BaseDirectory, "data", "credit_data.csv")).Take(601), Ct);
        var output = new StringWriter();
        var error = new StringWriter();

        var exitCode = await TrainingCommandLine.InvokeAsync(
            ["train-csv", "--file", file, "--label", "Status", "--positive", "bad", "--folds", "3", "--trials", "1",
             "--registry", registry.Address, "--api-key", TestApiKeys.Writer, "--experiment", "csv-trials"],
            new InvocationConfiguration { Output = output, Error = error });

        Assert.True(exitCode == 0, error.ToString());
        Assert.Contains("logged as run", output.ToString(), StringComparison.Ordinal);
        var experiment = await registry.Client.GetExperimentByNameAsync(new GetExperimentByNameRequest { Name = "csv-trials" }, cancellationToken: Ct);
        var runs = (await registry.Client.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = { experiment.ExperimentId } }, cancellationToken: Ct)).Runs;
        var parent = Assert.Single(runs, run => !run.Tags.ContainsKey("parent_run_id"));
        Assert.Equal(RunStatus.Finished, parent.Status);
        Assert.Equal(("Status", "bad", "3"), (parent.Params["label"], parent.Params["positive"], parent.Params["folds"]));
        var children = runs.Where(run => run.Tags.GetValueOrDefault("parent_run_id") == parent.RunId).ToList();
        Assert.Equal(["fasttree", "lightgbm", "logistic-regression"], children.Select(run => run.Tags["candidate"]).Order());
        Assert.Equal(children.Max(run => run.Metrics["cv_roc_auc"]), parent.Metrics["cv_roc_auc"]);
        var artifactsOfRun = await registry.Client.ListArtifactsAsync(new ListArtifactsRequest { RunId = parent.RunId }, cancellationToken: Ct);
        Assert.Contains("model/model.zip", artifactsOfRun.Artifacts.Select(artifact => artifact.Path));
    }
}
