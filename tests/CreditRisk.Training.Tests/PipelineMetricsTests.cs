using CreditRisk.Contracts.Training.V1;
using CreditRisk.Testing.Kafka;
using CreditRisk.Testing.Telemetry;
using CreditRisk.Training.Pipeline;
using CreditRisk.Training.Tests.Support;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace CreditRisk.Training.Tests;

/// <summary>The engine's metrics, picked out by this fixture's own model name (instruments are shared by every test).</summary>
public sealed class PipelineMetricsTests(PipelineFixture pipeline) : IClassFixture<PipelineFixture>
{
    [Fact]
    public async Task Runs_by_final_status_step_durations_by_outcome_and_retries_are_measured()
    {
        using var runs = new MetricCollector<long>(PipelineTelemetry.RunsFinished);
        using var durations = new MetricCollector<double>(PipelineTelemetry.StepDuration);
        using var retries = new MetricCollector<long>(PipelineTelemetry.StepRetries);
        var cutoff = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero));

        await RunAsync(cutoff, ("seed", "a"));
        await RunAsync(cutoff, ("seed", "a"));
        await RunAsync(cutoff, ("seed", "b"), ("transient", "fit:1"));
        await RunAsync(cutoff, ("seed", "c"), ("permanent", "report"));

        var mine = (string tag, string value) => runs.GetMeasurementSnapshot()
            .Where(measurement => Equals(measurement.Tags["model"], pipeline.Model) && Equals(measurement.Tags[tag], value)).Sum(measurement => measurement.Value);
        // Counted just after the run's final write, which the test may see first.
        await Eventually.ThatAsync(() => mine("status", "succeeded") + mine("status", "failed") == 4, PipelineFixture.Deadline, "the four runs to be counted");
        Assert.Equal(3, mine("status", "succeeded"));
        Assert.Equal(1, mine("status", "failed"));
        var steps = durations.GetMeasurementSnapshot().Where(measurement => Equals(measurement.Tags["model"], pipeline.Model)).ToList();
        Assert.Equal(3, steps.Count(measurement => Equals(measurement.Tags["outcome"], "cached")));
        Assert.Equal(1, steps.Count(measurement => Equals(measurement.Tags["outcome"], "failed") && Equals(measurement.Tags["step"], "report")));
        Assert.Equal(5 + 2 + 5 + 3, steps.Count(measurement => Equals(measurement.Tags["outcome"], "succeeded")));
        Assert.Equal(1, retries.Sum("model", pipeline.Model));
    }

    private async Task RunAsync(Timestamp cutoff, params (string Name, string Value)[] parameters)
    {
        var request = pipeline.NewRun(parameters);
        request.Cutoff = cutoff;
        var run = await pipeline.WaitForFinishAsync((await pipeline.StartAsync(request)).RunId);
        Assert.NotEqual(PipelineRunStatus.Running, run.Status);
    }
}
