using CreditRisk.Contracts.Training.V1;
using CreditRisk.Testing.Kafka;
using CreditRisk.Training.Pipeline;
using CreditRisk.Training.Tests.Support;
using Npgsql;

namespace CreditRisk.Training.Tests;

/// <summary>Several replicas (hosts) over one database: claims, leases, take-overs and fenced writes.</summary>
public sealed class ReplicaTests(ReplicaFixture pipeline) : IClassFixture<ReplicaFixture>
{
    private static readonly string[] Steps = ["extract", "prepare", "fit", "report", "publish"];

    [Fact]
    public async Task Two_replicas_share_several_runs_and_every_step_is_executed_exactly_once()
    {
        await using var first = await pipeline.StartWorkerAsync();
        await using var second = await pipeline.StartWorkerAsync();
        var seed = NewSeed();
        var runs = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            // Each run's extract waits for its gate, so that each replica holds a run while the other claims one.
            runs.Add((await pipeline.StartAsync(pipeline.NewRun(("seed", seed + i), ("block", "extract")))).RunId);
        }
        await Eventually.ThatAsync(async () => (await ReplicasOfAsync(runs)).Count == 2, PipelineFixture.Deadline, "both replicas to be executing a run");
        foreach (var run in runs)
        {
            await pipeline.OpenGateAsync(run, "extract");
        }

        foreach (var run in runs)
        {
            Assert.Equal(PipelineRunStatus.Succeeded, (await pipeline.WaitForFinishAsync(run)).Status);
            Assert.Equal(Steps.ToDictionary(step => step, _ => 1), await pipeline.StartsByStepAsync(run));
        }
        Assert.Equal(new[] { ReplicaOf(first), ReplicaOf(second) }.Order(), (await ReplicasOfAsync(runs)).Order());
    }

    [Fact]
    public async Task A_replica_whose_heartbeat_stops_is_taken_over_after_its_lease_and_finished_steps_are_not_repeated()
    {
        // It renews nothing, as if frozen or cut off from the database.
        await using var stalled = await pipeline.StartWorkerAsync(("Training:Pipeline:HeartbeatInterval", "01:00:00"), ("Training:Pipeline:LeaseDuration", "00:00:02"));
        var run = await pipeline.StartAsync(pipeline.NewRun(("seed", NewSeed()), ("block", "fit")));
        await pipeline.WaitForStartAsync(run.RunId, "fit");

        await using var rescuer = await pipeline.StartWorkerAsync();
        await Eventually.ThatAsync(async () => (await pipeline.ExecutionsAsync(run.RunId))
                .Any(execution => execution is { Step: "fit", Outcome: "started" } && execution.Replica == ReplicaOf(rescuer)),
            PipelineFixture.Deadline, "the other replica to resume the run at fit");
        await pipeline.OpenGateAsync(run.RunId, "fit");
        var finished = await pipeline.WaitForFinishAsync(run.RunId);

        Assert.Equal(PipelineRunStatus.Succeeded, finished.Status);
        Assert.Equal(new Dictionary<string, int> { ["extract"] = 1, ["prepare"] = 1, ["fit"] = 2, ["report"] = 1, ["publish"] = 1 },
            await pipeline.StartsByStepAsync(run.RunId));
        var executions = await pipeline.ExecutionsAsync(run.RunId);
        Assert.All(executions.Where(execution => execution.Step is "extract" or "prepare"), execution => Assert.Equal(ReplicaOf(stalled), execution.Replica));
        Assert.All(executions.Where(execution => execution.Step is "report" or "publish"), execution => Assert.Equal(ReplicaOf(rescuer), execution.Replica));
        // The stalled replica's fit finished as well once the gate opened, but its lease was gone: the step's
        // record is the rescuer's execution.
        Assert.Equal(2, finished.Steps.Single(step => step.Name == "fit").Attempts);
        Assert.Contains(finished.Steps.Single(step => step.Name == "fit").Logs, line => line.Message.EndsWith(ReplicaOf(rescuer), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_lost_lease_cancels_the_running_step_and_the_run_is_resumed_without_repeating_finished_steps()
    {
        await using var worker = await pipeline.StartWorkerAsync(("Training:Pipeline:HeartbeatInterval", "00:00:00.200"));
        var run = await pipeline.StartAsync(pipeline.NewRun(("seed", NewSeed()), ("block", "prepare")));
        await pipeline.WaitForStartAsync(run.RunId, "prepare");

        // Another owner takes the lease over, as a replica that claimed it would, and lets it lapse at once.
        await using (var steal = pipeline.Database.CreateCommand(
            "UPDATE training.pipeline_runs SET lease_owner = 'thief', lease_token = lease_token + 1, lease_expires_at = now() WHERE run_id = $1"))
        {
            steal.Parameters.Add(new NpgsqlParameter { Value = Guid.Parse(run.RunId) });
            await steal.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }
        await Eventually.ThatAsync(async () => (await pipeline.ExecutionsAsync(run.RunId)).Any(execution => execution is { Step: "prepare", Outcome: "cancelled" }),
            PipelineFixture.Deadline, "the step of the lost lease to be cancelled");
        await pipeline.OpenGateAsync(run.RunId, "prepare");
        var finished = await pipeline.WaitForFinishAsync(run.RunId);

        Assert.Equal(PipelineRunStatus.Succeeded, finished.Status);
        Assert.Equal(new Dictionary<string, int> { ["extract"] = 1, ["prepare"] = 2, ["fit"] = 1, ["report"] = 1, ["publish"] = 1 },
            await pipeline.StartsByStepAsync(run.RunId));
    }

    [Fact]
    public async Task A_replica_shut_down_mid_step_releases_its_run_and_another_resumes_it_before_the_lease_would_expire()
    {
        await using var leaving = await pipeline.StartWorkerAsync();
        var run = await pipeline.StartAsync(pipeline.NewRun(("seed", NewSeed()), ("block", "fit")));
        await pipeline.WaitForStartAsync(run.RunId, "fit");
        await using var staying = await pipeline.StartWorkerAsync();
        var (leavingReplica, stayingReplica) = (ReplicaOf(leaving), ReplicaOf(staying));

        await leaving.StopAsync();
        var released = await pipeline.GetAsync(run.RunId);
        Assert.Equal(PipelineRunStatus.Running, released.Status);
        Assert.Equal(PipelineStepStatus.Succeeded, released.Steps.Single(step => step.Name == "prepare").Status);
        // The lease is ten minutes: only the release lets the other replica in within the deadline.
        await Eventually.ThatAsync(async () => (await pipeline.ExecutionsAsync(run.RunId))
                .Any(execution => execution is { Step: "fit", Outcome: "started" } && execution.Replica == stayingReplica),
            PipelineFixture.Deadline, "the staying replica to resume fit");
        await pipeline.OpenGateAsync(run.RunId, "fit");
        var finished = await pipeline.WaitForFinishAsync(run.RunId);

        Assert.Equal(PipelineRunStatus.Succeeded, finished.Status);
        var starts = await pipeline.StartsByStepAsync(run.RunId);
        Assert.Equal(1, starts["extract"]);
        Assert.Equal(1, starts["prepare"]);
        Assert.Equal(2, starts["fit"]);
        Assert.Contains(await pipeline.ExecutionsAsync(run.RunId), execution => execution is { Step: "fit", Outcome: "cancelled" } && execution.Replica == leavingReplica);
    }

    private static string ReplicaOf(Testing.Hosting.ServiceHost<Labels.LabelStore> host) => host.Get<ReplicaIdentity>().Id;

    private static string NewSeed() => Guid.NewGuid().ToString("N")[..8];

    private async Task<HashSet<string>> ReplicasOfAsync(IEnumerable<string> runs)
    {
        var replicas = new HashSet<string>(StringComparer.Ordinal);
        foreach (var run in runs)
        {
            foreach (var execution in await pipeline.ExecutionsAsync(run))
            {
                replicas.Add(execution.Replica);
            }
        }
        return replicas;
    }
}
