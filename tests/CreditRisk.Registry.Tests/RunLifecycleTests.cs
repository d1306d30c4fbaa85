using CreditRisk.Contracts.Registry.V1;
using CreditRisk.Contracts.Rpc;
using CreditRisk.Registry.Tests.Support;
using Grpc.Core;

namespace CreditRisk.Registry.Tests;

public sealed class RunLifecycleTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private readonly RegistryService.RegistryServiceClient _client = registry.Host.Admin;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Experiment_names_are_unique()
    {
        var experiment = await Seed.ExperimentAsync(_client);

        var duplicate = await Seed.RefusedAsync(() => Seed.ExperimentAsync(_client, experiment.Name));

        Assert.Equal(StatusCode.AlreadyExists, duplicate.StatusCode);
        var found = await _client.GetExperimentByNameAsync(new GetExperimentByNameRequest { Name = experiment.Name }, cancellationToken: Ct);
        Assert.Equal(experiment.ExperimentId, found.ExperimentId);
    }

    [Fact]
    public async Task A_run_starts_running_and_ends_once_with_an_end_time()
    {
        var experiment = await Seed.ExperimentAsync(_client);
        var run = await Seed.RunAsync(_client, experiment.ExperimentId, "baseline");
        Assert.Equal(RunStatus.Running, run.Status);
        Assert.NotNull(run.StartTime);
        Assert.Null(run.EndTime);
        Assert.Equal("baseline", run.Name);

        var finished = await _client.UpdateRunAsync(new UpdateRunRequest { RunId = run.RunId, Status = RunStatus.Finished }, cancellationToken: Ct);
        Assert.Equal(RunStatus.Finished, finished.Status);
        Assert.NotNull(finished.EndTime);
        Assert.True(finished.EndTime.ToDateTime() >= finished.StartTime.ToDateTime());

        var rerun = await Seed.RefusedAsync(() => _client.UpdateRunAsync(
            new UpdateRunRequest { RunId = run.RunId, Status = RunStatus.Running }, cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, rerun.StatusCode);
        Assert.Contains("status", rerun.Status.Detail);
    }

    [Fact]
    public async Task Soft_deleted_runs_are_hidden_refuse_logging_and_come_back_on_restore()
    {
        var experiment = await Seed.ExperimentAsync(_client);
        var run = await Seed.RunAsync(_client, experiment.ExperimentId);

        var deleted = await _client.DeleteRunAsync(new DeleteRunRequest { RunId = run.RunId }, cancellationToken: Ct);
        Assert.True(deleted.Deleted);
        var active = await _client.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = { experiment.ExperimentId } }, cancellationToken: Ct);
        Assert.Empty(active.Runs);
        var deletedView = await _client.SearchRunsAsync(new SearchRunsRequest
        {
            ExperimentIds = { experiment.ExperimentId },
            RunViewType = RunViewType.DeletedOnly,
        }, cancellationToken: Ct);
        Assert.Equal(run.RunId, Assert.Single(deletedView.Runs).RunId);

        var logging = await Seed.RefusedAsync(() => _client.LogBatchAsync(new LogBatchRequest
        {
            RunId = run.RunId,
            Metrics = { new Metric { Key = "auc", Value = 0.7 } },
        }, cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, logging.StatusCode);

        var restored = await _client.RestoreRunAsync(new RestoreRunRequest { RunId = run.RunId }, cancellationToken: Ct);
        Assert.False(restored.Deleted);
        var again = await _client.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = { experiment.ExperimentId } }, cancellationToken: Ct);
        Assert.Equal(run.RunId, Assert.Single(again.Runs).RunId);
    }

    [Fact]
    public async Task Unknown_runs_and_bad_ids_are_told_apart()
    {
        var missing = await Seed.RefusedAsync(() => _client.GetRunAsync(new GetRunRequest { RunId = Guid.NewGuid().ToString() }, cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);

        var bad = await Seed.RefusedAsync(() => _client.CreateRunAsync(new CreateRunRequest { ExperimentId = "abc", Tags = { ["bad key!"] = "x" } }, cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, bad.StatusCode);
        Assert.Contains("experiment_id:", bad.Status.Detail);
        Assert.Contains("tags[bad key!]", bad.Status.Detail);
    }

    [Fact]
    public async Task Bad_fields_come_back_as_bad_request_field_violations()
    {
        var bad = await Seed.RefusedAsync(() => _client.LogBatchAsync(new LogBatchRequest
        {
            RunId = "not-a-run",
            Metrics = { new Metric { Key = "bad key!", Value = 1 } },
        }, cancellationToken: Ct).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, bad.StatusCode);
        Assert.Equal(
            [("run_id", "not a run id"), ("metrics[0].key", "1-250 characters of letters, digits, '_', '-', '.', ' ', '/'")],
            FieldViolations.Of(bad).Select(violation => (violation.Field, violation.Description)));
    }
}
