using CreditRisk.Contracts.Training.V1;
using CreditRisk.Testing.Kafka;
using CreditRisk.Training.Tests.Support;
using CreditRisk.Training.Triggers;

namespace CreditRisk.Training.Tests;

public sealed class ScheduleTests(ScheduleFixture pipeline) : IClassFixture<ScheduleFixture>
{
    [Fact]
    public async Task Each_schedule_slot_starts_one_run_per_model_though_two_replicas_schedule_it()
    {
        await using var second = await pipeline.StartHostAsync();
        List<PipelineRun> scheduled = [];
        await Eventually.ThatAsync(async () =>
        {
            scheduled = [.. (await pipeline.Reader.ListRunsAsync(new ListRunsRequest { ModelName = pipeline.Model, PageSize = 200 },
                cancellationToken: TestContext.Current.CancellationToken)).Runs.Where(run => run.Trigger == "schedule")];
            return scheduled.Count >= 3;
        }, PipelineFixture.Deadline, "three slots to be scheduled");

        var interval = TimeSpan.FromSeconds(2);
        Assert.All(scheduled, run =>
        {
            var slot = run.Cutoff.ToDateTimeOffset();
            Assert.Equal(PipelineScheduler.SlotStartOf(slot, interval), slot);
            Assert.Equal(PipelineScheduler.RequestIdOf(pipeline.Model, slot), run.RequestId);
        });
        Assert.Equal(scheduled.Count, scheduled.Select(run => run.Cutoff).Distinct().Count());
        // Consecutive slots, none lost between the replicas.
        var slots = scheduled.Select(run => run.Cutoff.ToDateTimeOffset()).Order().ToList();
        Assert.All(slots.Zip(slots.Skip(1)), pair => Assert.Equal(interval, pair.Second - pair.First));
    }
}
