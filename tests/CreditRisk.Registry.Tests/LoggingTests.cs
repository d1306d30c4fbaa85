using CreditRisk.Contracts.Registry.V1;
using CreditRisk.Registry.Tests.Support;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace CreditRisk.Registry.Tests;

public sealed class LoggingTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private readonly RegistryService.RegistryServiceClient _client = registry.Host.Admin;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<Run> NewRunAsync() => await Seed.RunAsync(_client, (await Seed.ExperimentAsync(_client)).ExperimentId);

    [Fact]
    public async Task Params_are_immutable_but_the_same_value_again_is_fine()
    {
        var run = await NewRunAsync();
        await _client.LogBatchAsync(new LogBatchRequest { RunId = run.RunId, Params = { ["learner"] = "fasttree", ["trees"] = "100" } }, cancellationToken: Ct);
        await _client.LogBatchAsync(new LogBatchRequest { RunId = run.RunId, Params = { ["learner"] = "fasttree" } }, cancellationToken: Ct);

        var changed = await Seed.RefusedAsync(() => _client.LogBatchAsync(new LogBatchRequest
        {
            RunId = run.RunId,
            Params = { ["trees"] = "200", ["leaves"] = "31" },
            Metrics = { new Metric { Key = "auc", Value = 0.8 } },
        }, cancellationToken: Ct).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, changed.StatusCode);
        Assert.Contains("params[trees]", changed.Status.Detail);
        Assert.Contains("'100'", changed.Status.Detail);
        Assert.Contains("'200'", changed.Status.Detail);
        // The refused batch left nothing behind.
        var after = await _client.GetRunAsync(new GetRunRequest { RunId = run.RunId }, cancellationToken: Ct);
        Assert.Equal("100", after.Params["trees"]);
        Assert.False(after.Params.ContainsKey("leaves"));
        Assert.Empty(after.Metrics);
    }

    [Fact]
    public async Task Tags_can_be_overwritten()
    {
        var run = await NewRunAsync();
        await _client.LogBatchAsync(new LogBatchRequest { RunId = run.RunId, Tags = { ["stage"] = "draft" } }, cancellationToken: Ct);
        await _client.LogBatchAsync(new LogBatchRequest { RunId = run.RunId, Tags = { ["stage"] = "reviewed" } }, cancellationToken: Ct);

        var after = await _client.GetRunAsync(new GetRunRequest { RunId = run.RunId }, cancellationToken: Ct);
        Assert.Equal("reviewed", after.Tags["stage"]);
    }

    [Fact]
    public async Task Metric_history_is_kept_in_step_order_and_the_latest_is_the_highest_step()
    {
        var run = await NewRunAsync();
        var t0 = DateTimeOffset.UtcNow;
        Metric At(int step, double value, int secondsLater) =>
            new() { Key = "loss", Step = step, Value = value, Timestamp = Timestamp.FromDateTimeOffset(t0.AddSeconds(secondsLater)) };

        await _client.LogBatchAsync(new LogBatchRequest { RunId = run.RunId, Metrics = { At(2, 0.5, 2), At(0, 0.9, 0) } }, cancellationToken: Ct);
        await _client.LogBatchAsync(new LogBatchRequest { RunId = run.RunId, Metrics = { At(1, 0.7, 1) } }, cancellationToken: Ct);
        // A late value for an old step does not become the latest.
        await _client.LogBatchAsync(new LogBatchRequest { RunId = run.RunId, Metrics = { At(1, 0.65, 3) } }, cancellationToken: Ct);

        var history = await _client.GetMetricHistoryAsync(new GetMetricHistoryRequest { RunId = run.RunId, Key = "loss" }, cancellationToken: Ct);
        Assert.Equal([0L, 1L, 1L, 2L], history.Metrics.Select(metric => metric.Step));
        Assert.Equal([0.9, 0.7, 0.65, 0.5], history.Metrics.Select(metric => metric.Value));

        var after = await _client.GetRunAsync(new GetRunRequest { RunId = run.RunId }, cancellationToken: Ct);
        Assert.Equal(0.5, after.Metrics["loss"]);
    }

    [Fact]
    public async Task Log_batch_refuses_more_than_mlflow_limits_and_says_which()
    {
        var run = await NewRunAsync();
        var request = new LogBatchRequest { RunId = run.RunId };
        request.Metrics.AddRange(Enumerable.Range(0, 1001).Select(i => new Metric { Key = "m" + i, Value = i }));
        for (var i = 0; i < 101; i++)
        {
            request.Params["p" + i] = "v";
            request.Tags["t" + i] = "v";
        }

        var refused = await Seed.RefusedAsync(() => _client.LogBatchAsync(request, cancellationToken: Ct).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("metrics: at most 1000", refused.Status.Detail);
        Assert.Contains("params: at most 100", refused.Status.Detail);
        Assert.Contains("tags: at most 100", refused.Status.Detail);

        // Exactly at the limits is accepted.
        var full = new LogBatchRequest { RunId = run.RunId };
        full.Metrics.AddRange(Enumerable.Range(0, 1000).Select(i => new Metric { Key = "m" + i, Value = i }));
        for (var i = 0; i < 100; i++)
        {
            full.Params["p" + i] = "v";
            full.Tags["t" + i] = "v";
        }
        await _client.LogBatchAsync(full, cancellationToken: Ct);
        var after = await _client.GetRunAsync(new GetRunRequest { RunId = run.RunId }, cancellationToken: Ct);
        Assert.Equal(1000, after.Metrics.Count);
        Assert.Equal(100, after.Params.Count);
        Assert.Equal(100, after.Tags.Count);
    }

    [Fact]
    public async Task Dataset_inputs_are_recorded_with_their_lineage()
    {
        var run = await NewRunAsync();
        var input = new DatasetInput
        {
            Name = "training-set",
            Digest = new string('a', 64),
            FeatureService = "credit_scoring",
            FeatureServiceVersion = 3,
            RowCount = 4454,
            StartTime = Timestamp.FromDateTime(new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc)),
            EndTime = Timestamp.FromDateTime(new DateTime(2024, 12, 31, 0, 0, 0, DateTimeKind.Utc)),
        };
        await _client.LogInputsAsync(new LogInputsRequest { RunId = run.RunId, Inputs = { input } }, cancellationToken: Ct);
        await _client.LogInputsAsync(new LogInputsRequest { RunId = run.RunId, Inputs = { input } }, cancellationToken: Ct);

        var after = await _client.GetRunAsync(new GetRunRequest { RunId = run.RunId }, cancellationToken: Ct);
        Assert.Equal(input, Assert.Single(after.Inputs));

        var bad = await Seed.RefusedAsync(() => _client.LogInputsAsync(new LogInputsRequest
        {
            RunId = run.RunId,
            Inputs = { new DatasetInput { RowCount = -1 } },
        }, cancellationToken: Ct).ResponseAsync);
        Assert.Contains("inputs[0].name: required", bad.Status.Detail);
        Assert.Contains("inputs[0].digest: required", bad.Status.Detail);
        Assert.Contains("inputs[0].row_count", bad.Status.Detail);
    }
}
