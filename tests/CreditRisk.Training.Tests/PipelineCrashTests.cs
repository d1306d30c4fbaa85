using CreditRisk.Contracts.Training.V1;
using CreditRisk.Testing.Hosting;
using CreditRisk.Testing.Kafka;
using CreditRisk.Testing.Postgres;
using CreditRisk.Testing.Processes;
using CreditRisk.Training.PipelineTestHost;
using CreditRisk.Training.Tests.Support;
using Npgsql;

namespace CreditRisk.Training.Tests;

/// <summary>The training service with the test pipeline as a separate process, killed with SIGKILL in the middle of a step.</summary>
public sealed class PipelineCrashTests(DevBrokerFixture broker, PostgresFixture postgres) : IClassFixture<DevBrokerFixture>, IClassFixture<PostgresFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task A_replica_killed_mid_step_is_resumed_by_a_new_process_and_the_steps_finished_before_the_kill_ran_once()
    {
        await using var database = postgres.CreateDataSource();
        await TestStepTables.CreateAsync(database);
        var model = "crash_model";
        var environment = PipelineSettings.AsEnvironment(PipelineSettings.For(model));
        environment["ConnectionStrings__Postgres"] = postgres.ConnectionString;
        environment["Kafka__BootstrapServers"] = broker.BootstrapServers;
        foreach (var (name, value) in TestApiKeys.Configuration())
        {
            environment[name.Replace(":", "__", StringComparison.Ordinal)] = value!;
        }

        string runId;
        string killedReplica;
        using (var first = ServiceProcess.Start("CreditRisk.Training.PipelineTestHost.dll", environment))
        {
            var client = new TrainingService.TrainingServiceClient(first.CallInvoker(TestApiKeys.Writer));
            var request = new StartRunRequest { ModelName = model };
            request.Parameters["block"] = "fit";
            PipelineRun? run = null;
            await first.WaitUntilAsync(async () =>
            {
                try
                {
                    run = await client.StartRunAsync(request, cancellationToken: TestContext.Current.CancellationToken);
                    return true;
                }
                catch (Grpc.Core.RpcException exception) when (exception.StatusCode == Grpc.Core.StatusCode.Unavailable)
                {
                    return false;
                }
            }, Deadline, "the first process to accept the run");
            runId = run!.RunId;
            await first.WaitUntilAsync(async () => (await PipelineFixture.ExecutionsAsync(database, runId)).Any(execution => execution.Step == "fit"),
                Deadline, "the first process to be in the middle of fit");
            killedReplica = (await PipelineFixture.ExecutionsAsync(database, runId)).Single(execution => execution.Step == "fit").Replica;
            first.Kill();
        }
        var atKill = await PipelineFixture.ExecutionsAsync(database, runId);
        Assert.Equal(["extract", "prepare", "fit"], atKill.Where(execution => execution.Outcome == "started").Select(execution => execution.Step));
        // SIGKILL: the step never heard of it.
        Assert.DoesNotContain(atKill, execution => execution.Outcome == "cancelled");

        using var second = ServiceProcess.Start("CreditRisk.Training.PipelineTestHost.dll", environment);
        await second.WaitUntilAsync(async () => (await PipelineFixture.ExecutionsAsync(database, runId)).Count(execution => execution is { Step: "fit", Outcome: "started" }) == 2,
            Deadline, "the new process to resume the run at fit once the lease expired");
        await using (var open = database.CreateCommand("INSERT INTO public.test_step_gates (run_id, step) VALUES ($1, 'fit')"))
        {
            open.Parameters.Add(new NpgsqlParameter { Value = Guid.Parse(runId) });
            await open.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }
        var reader = new TrainingService.TrainingServiceClient(second.CallInvoker(TestApiKeys.Reader));
        PipelineRun? finished = null;
        await second.WaitUntilAsync(async () =>
        {
            finished = await reader.GetRunAsync(new GetRunRequest { RunId = runId }, cancellationToken: TestContext.Current.CancellationToken);
            return finished.Status is PipelineRunStatus.Succeeded or PipelineRunStatus.Failed;
        }, Deadline, "the resumed run to finish");

        Assert.Equal(PipelineRunStatus.Succeeded, finished!.Status);
        var executions = await PipelineFixture.ExecutionsAsync(database, runId);
        var starts = executions.Where(execution => execution.Outcome == "started").GroupBy(execution => execution.Step).ToDictionary(group => group.Key, group => group.Count());
        Assert.Equal(new Dictionary<string, int> { ["extract"] = 1, ["prepare"] = 1, ["fit"] = 2, ["report"] = 1, ["publish"] = 1 }, starts);
        Assert.All(executions.Where(execution => execution.Step is "extract" or "prepare"), execution => Assert.Equal(killedReplica, execution.Replica));
        Assert.All(executions.Where(execution => execution.Step is "report" or "publish"), execution => Assert.NotEqual(killedReplica, execution.Replica));
        Assert.Equal(2, finished.Steps.Single(step => step.Name == "fit").Attempts);
        Assert.False(second.HasExited, second.Output);
    }
}
