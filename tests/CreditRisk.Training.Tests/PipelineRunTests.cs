using System.Net;
using System.Text.Json;
using CreditRisk.Contracts.Training.V1;
using CreditRisk.Testing.Hosting;
using CreditRisk.Training.Tests.Support;

namespace CreditRisk.Training.Tests;

/// <summary>Runs of the test pipeline (extract -> prepare -> fit -> report -> publish) on one replica, read back through the API.</summary>
public sealed class PipelineRunTests(PipelineFixture pipeline) : IClassFixture<PipelineFixture>
{
    private static readonly string[] Steps = ["extract", "prepare", "fit", "report", "publish"];

    [Fact]
    public async Task A_run_goes_through_every_step_and_GetRun_shows_statuses_attempts_outputs_and_logs()
    {
        var started = await pipeline.StartAsync(pipeline.NewRun(("seed", Seed())));
        Assert.Equal(pipeline.Model, started.ModelName);
        Assert.Equal(PipelineSettings.FeatureService, started.FeatureService);
        Assert.Equal(3, started.FeatureServiceVersion);
        Assert.Equal("api", started.Trigger);
        Assert.Equal(Steps, started.Steps.Select(step => step.Name));

        var run = await pipeline.WaitForFinishAsync(started.RunId);

        Assert.Equal(PipelineRunStatus.Succeeded, run.Status);
        Assert.NotNull(run.StartedTime);
        Assert.NotNull(run.FinishedTime);
        Assert.All(run.Steps, step =>
        {
            Assert.Equal(PipelineStepStatus.Succeeded, step.Status);
            Assert.Equal(1, step.Attempts);
            Assert.False(step.CacheHit);
            Assert.NotNull(step.Duration);
            Assert.Matches("^[0-9a-f]{64}$", step.CacheKey);
            Assert.Matches("^[0-9a-f]{64}$", step.OutputDigest);
            Assert.Contains(step.Logs, line => line.Message.StartsWith($"{step.Name} executing on ", StringComparison.Ordinal));
        });
        var fit = run.Steps.Single(step => step.Name == "fit");
        Assert.Equal("0.85", fit.OutputValues["auc"]);
        var model = Assert.Single(fit.OutputBlobs);
        Assert.Equal("model.zip", model.Name);
        Assert.Equal("application/zip", model.ContentType);
        Assert.True(model.SizeBytes > 0);
        Assert.Equal(Steps.ToDictionary(step => step, _ => 1), await pipeline.StartsByStepAsync(run.RunId));
    }

    [Fact]
    public async Task Rest_mirrors_the_run_and_serves_each_blob_with_the_content_type_of_its_name()
    {
        var run = await pipeline.WaitForFinishAsync((await pipeline.StartAsync(pipeline.NewRun(("seed", Seed())))).RunId);
        using var http = pipeline.Service.CreateHttpClient(TestApiKeys.Reader);

        using var json = JsonDocument.Parse(await http.GetStringAsync($"/api/training/runs/{run.RunId}", TestContext.Current.CancellationToken));
        Assert.Equal("PIPELINE_RUN_STATUS_SUCCEEDED", json.RootElement.GetProperty("status").GetString());
        var steps = json.RootElement.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(Steps, steps.Select(step => step.GetProperty("name").GetString()));
        Assert.All(steps, step => Assert.Equal(1, step.GetProperty("attempts").GetInt32()));

        var report = run.Steps.Single(step => step.Name == "report").OutputBlobs.Single();
        using var served = await http.GetAsync(report.Path, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("text/html", served.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("<html>", await served.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(report.Sha256, served.Headers.GetValues("x-content-sha256").Single());

        var profile = run.Steps.Single(step => step.Name == "prepare").OutputBlobs.Single();
        using var servedProfile = await http.GetAsync(profile.Path, TestContext.Current.CancellationToken);
        Assert.Equal("application/json", servedProfile.Content.Headers.ContentType?.MediaType);

        using var missing = await http.GetAsync($"/api/training/runs/{run.RunId}/blobs/report/nothing.html", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        using var list = JsonDocument.Parse(await http.GetStringAsync($"/api/training/runs?model_name={pipeline.Model}&status=succeeded", TestContext.Current.CancellationToken));
        Assert.Contains(list.RootElement.GetProperty("runs").EnumerateArray(), listed => listed.GetProperty("runId").GetString() == run.RunId);
    }

    [Fact]
    public async Task A_transient_failure_is_retried_and_the_step_succeeds_on_its_second_attempt()
    {
        var run = await pipeline.WaitForFinishAsync((await pipeline.StartAsync(pipeline.NewRun(("seed", Seed()), ("transient", "prepare:1")))).RunId);

        Assert.Equal(PipelineRunStatus.Succeeded, run.Status);
        var prepare = run.Steps.Single(step => step.Name == "prepare");
        Assert.Equal(2, prepare.Attempts);
        Assert.Contains(prepare.Logs, line => line.Message.Contains("attempt 1 failed: IOException", StringComparison.Ordinal));
        Assert.All(run.Steps.Where(step => step.Name != "prepare"), step => Assert.Equal(1, step.Attempts));
    }

    [Fact]
    public async Task A_permanent_failure_fails_the_run_with_the_step_and_its_reason_and_later_steps_never_run()
    {
        var run = await pipeline.WaitForFinishAsync((await pipeline.StartAsync(pipeline.NewRun(("seed", Seed()), ("permanent", "fit")))).RunId);

        Assert.Equal(PipelineRunStatus.Failed, run.Status);
        Assert.Equal("step 'fit': fit found its input unusable", run.FailureReason);
        var fit = run.Steps.Single(step => step.Name == "fit");
        Assert.Equal(PipelineStepStatus.Failed, fit.Status);
        Assert.Equal(1, fit.Attempts);
        Assert.Equal("fit found its input unusable", fit.Error);
        Assert.All(run.Steps.Where(step => step.Name is "report" or "publish"), step => Assert.Equal(PipelineStepStatus.Pending, step.Status));
        var starts = await pipeline.StartsByStepAsync(run.RunId);
        Assert.False(starts.ContainsKey("report"));
        Assert.False(starts.ContainsKey("publish"));
    }

    [Fact]
    public async Task Retries_are_bounded_and_an_outage_that_outlasts_them_fails_the_run()
    {
        var run = await pipeline.WaitForFinishAsync((await pipeline.StartAsync(pipeline.NewRun(("seed", Seed()), ("transient", "prepare:100")))).RunId);

        Assert.Equal(PipelineRunStatus.Failed, run.Status);
        Assert.Equal("step 'prepare': prepare: simulated outage (gave up after 3 attempts)", run.FailureReason);
        Assert.Equal(3, run.Steps.Single(step => step.Name == "prepare").Attempts);
        Assert.Equal(3, (await pipeline.StartsByStepAsync(run.RunId))["prepare"]);
    }

    [Fact]
    public async Task A_running_run_cancelled_stops_at_its_next_step_boundary()
    {
        var started = await pipeline.StartAsync(pipeline.NewRun(("seed", Seed()), ("block", "prepare")));
        await pipeline.WaitForStartAsync(started.RunId, "prepare");

        var cancelling = await pipeline.Writer.CancelRunAsync(new CancelRunRequest { RunId = started.RunId }, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(cancelling.CancelRequested);
        Assert.Equal(PipelineRunStatus.Running, cancelling.Status);
        await pipeline.OpenGateAsync(started.RunId, "prepare");
        var run = await pipeline.WaitForFinishAsync(started.RunId);

        Assert.Equal(PipelineRunStatus.Cancelled, run.Status);
        Assert.Equal(PipelineStepStatus.Succeeded, run.Steps.Single(step => step.Name == "prepare").Status);
        Assert.All(run.Steps.Where(step => step.Name is "fit" or "report" or "publish"), step => Assert.Equal(PipelineStepStatus.Pending, step.Status));
        Assert.False((await pipeline.StartsByStepAsync(run.RunId)).ContainsKey("fit"));
    }

    [Fact]
    public async Task ListRuns_pages_newest_first_and_filters_by_status()
    {
        var seed = Seed();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await pipeline.WaitForFinishAsync((await pipeline.StartAsync(pipeline.NewRun(("seed", seed), ("permanent", "extract")))).RunId)).RunId);
        }

        var first = await pipeline.Reader.ListRunsAsync(new ListRunsRequest { ModelName = pipeline.Model, Status = PipelineRunStatus.Failed, PageSize = 2 },
            cancellationToken: TestContext.Current.CancellationToken);
        var second = await pipeline.Reader.ListRunsAsync(new ListRunsRequest
        {
            ModelName = pipeline.Model, Status = PipelineRunStatus.Failed, PageSize = 2, PageToken = first.NextPageToken,
        }, cancellationToken: TestContext.Current.CancellationToken);

        var listed = first.Runs.Concat(second.Runs).Select(run => run.RunId).ToList();
        Assert.Equal(2, first.Runs.Count);
        Assert.NotEmpty(first.NextPageToken);
        Assert.Equal(ids[2], listed[0]);
        Assert.Equal(ids[1], listed[1]);
        Assert.Equal(ids[0], listed[2]);
        Assert.All(first.Runs.Concat(second.Runs), run => Assert.Equal(PipelineRunStatus.Failed, run.Status));
        Assert.All(first.Runs, run => Assert.Empty(run.Steps));
    }

    private static string Seed() => Guid.NewGuid().ToString("N")[..8];
}
