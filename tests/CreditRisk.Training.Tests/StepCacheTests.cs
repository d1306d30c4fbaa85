using CreditRisk.Contracts.Training.V1;
using CreditRisk.Training.Tests.Support;
using Google.Protobuf.WellKnownTypes;

namespace CreditRisk.Training.Tests;

/// <summary>
/// The step cache: extract and publish are not cacheable, prepare, fit and report are; a step's key covers its code,
/// the outputs it reads and the run's definition.
/// </summary>
public sealed class StepCacheTests(PipelineFixture pipeline) : IClassFixture<PipelineFixture>
{
    // Pinned: a run without a cut-off is cut off when it is created, so no two of them share a key.
    private static readonly Timestamp Cutoff = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task A_second_run_with_the_same_inputs_reuses_every_cacheable_step_and_executes_the_others()
    {
        var (seed, source) = await NewInputsAsync();
        var first = await RunAsync(("seed", seed), ("source", source));
        var second = await RunAsync(("seed", seed), ("source", source));

        Assert.Equal(PipelineRunStatus.Succeeded, second.Status);
        foreach (var name in new[] { "prepare", "fit", "report" })
        {
            var step = Step(second, name);
            Assert.Equal(PipelineStepStatus.Cached, step.Status);
            Assert.True(step.CacheHit);
            Assert.Equal(first.RunId, step.CachedFromRunId);
            Assert.Equal(0, step.Attempts);
            Assert.Equal(Step(first, name).OutputDigest, step.OutputDigest);
            Assert.Equal(Step(first, name).CacheKey, step.CacheKey);
        }
        var starts = await pipeline.StartsByStepAsync(second.RunId);
        Assert.Equal(new Dictionary<string, int> { ["extract"] = 1, ["publish"] = 1 }, starts);
        Assert.Equal(PipelineStepStatus.Succeeded, Step(second, "extract").Status);
        Assert.Equal(PipelineStepStatus.Succeeded, Step(second, "publish").Status);
        // A cached step's blobs are the source run's, served as its own.
        Assert.Equal(Step(first, "report").OutputBlobs.Single().Sha256, Step(second, "report").OutputBlobs.Single().Sha256);
    }

    [Fact]
    public async Task A_different_cut_off_executes_every_step_again()
    {
        var (seed, source) = await NewInputsAsync();
        await RunAsync(("seed", seed), ("source", source));
        var request = pipeline.NewRun(("seed", seed), ("source", source));
        request.Cutoff = Timestamp.FromDateTimeOffset(Cutoff.ToDateTimeOffset().AddDays(1));
        var later = await pipeline.WaitForFinishAsync((await pipeline.StartAsync(request)).RunId);

        Assert.All(later.Steps, step => Assert.Equal(PipelineStepStatus.Succeeded, step.Status));
        Assert.Equal(5, (await pipeline.StartsByStepAsync(later.RunId)).Count);
    }

    [Fact]
    public async Task A_changed_parameter_executes_every_step_again()
    {
        var (seed, source) = await NewInputsAsync();
        await RunAsync(("seed", seed), ("source", source));
        var changed = await RunAsync(("seed", seed + "x"), ("source", source));

        Assert.All(changed.Steps, step => Assert.Equal(PipelineStepStatus.Succeeded, step.Status));
        Assert.Equal(5, (await pipeline.StartsByStepAsync(changed.RunId)).Count);
    }

    [Fact]
    public async Task A_changed_upstream_output_executes_the_steps_that_read_it_again()
    {
        var (seed, source) = await NewInputsAsync();
        var first = await RunAsync(("seed", seed), ("source", source));
        await pipeline.SetSourceAsync(source, "changed data");
        var changed = await RunAsync(("seed", seed), ("source", source));

        Assert.NotEqual(Step(first, "extract").OutputDigest, Step(changed, "extract").OutputDigest);
        Assert.All(changed.Steps, step => Assert.Equal(PipelineStepStatus.Succeeded, step.Status));
        Assert.NotEqual(Step(first, "prepare").CacheKey, Step(changed, "prepare").CacheKey);
        Assert.Equal(5, (await pipeline.StartsByStepAsync(changed.RunId)).Count);
    }

    [Fact]
    public async Task Disable_cache_executes_every_step_though_the_same_inputs_ran_before()
    {
        var (seed, source) = await NewInputsAsync();
        var first = await RunAsync(("seed", seed), ("source", source));
        var request = pipeline.NewRun(("seed", seed), ("source", source));
        request.DisableCache = true;
        request.Cutoff = Cutoff;
        var uncached = await pipeline.WaitForFinishAsync((await pipeline.StartAsync(request)).RunId);

        Assert.False(uncached.CacheEnabled);
        Assert.All(uncached.Steps, step => Assert.Equal(PipelineStepStatus.Succeeded, step.Status));
        Assert.Equal(5, (await pipeline.StartsByStepAsync(uncached.RunId)).Count);
        // Deterministic steps: the same inputs gave the same outputs.
        Assert.Equal(Step(first, "report").OutputDigest, Step(uncached, "report").OutputDigest);
    }

    private async Task<(string Seed, string Source)> NewInputsAsync()
    {
        var source = "source-" + Guid.NewGuid().ToString("N")[..8];
        await pipeline.SetSourceAsync(source, "original data");
        return (Guid.NewGuid().ToString("N")[..8], source);
    }

    private async Task<PipelineRun> RunAsync(params (string Name, string Value)[] parameters)
    {
        var request = pipeline.NewRun(parameters);
        request.Cutoff = Cutoff;
        var run = await pipeline.WaitForFinishAsync((await pipeline.StartAsync(request)).RunId);
        Assert.Equal(PipelineRunStatus.Succeeded, run.Status);
        return run;
    }

    private static PipelineStep Step(PipelineRun run, string name) => run.Steps.Single(step => step.Name == name);
}
