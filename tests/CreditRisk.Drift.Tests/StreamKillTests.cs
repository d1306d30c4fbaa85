using CreditRisk.Contracts.Drift.V1;
using CreditRisk.Drift.Tests.Support;
using CreditRisk.Testing.Hosting;
using CreditRisk.Testing.Kafka;
using CreditRisk.Testing.Postgres;
using CreditRisk.Testing.Processes;
using Grpc.Core;
using Npgsql;

namespace CreditRisk.Drift.Tests;

/// <summary>
/// The drift service under a real crash: it runs as its own process, predictions stream in, and it is SIGKILLed
/// with a window half full. A restarted process must count every prediction once and close
/// every window once.
/// </summary>
public sealed class StreamKillTests(DriftEnvironment environment) : IClassFixture<DriftEnvironment>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Killing_the_process_mid_window_loses_and_doubles_nothing()
    {
        var model = DriftEnvironment.NewModelName();
        var version = await environment.RegisterAsync(model);
        await using var database = new PostgresFixture();
        await database.InitializeAsync();
        var group = $"drift-{Guid.NewGuid():N}";
        var predictions = CreditApplications.Data.Predictions(model, version, 0, 1000, shift: false, tag: model).Select(p => p.Prediction).ToList();

        using (var doomed = await StartServingAsync(database, model, group))
        {
            // 300 counted: one window of 200 closes (or is about to), the next is half full when the process dies.
            await environment.PublishAsync(predictions.Take(300));
            await Eventually.ThatAsync(async () => await CountedAsync(database, model) == 300, Deadline, "300 predictions counted");
            doomed.Kill();
        }
        var atKill = await CountedAsync(database, model);
        // The rest arrive while it is down, and the first 300 again, as a producer retrying after a timeout would send them.
        await environment.PublishAsync(predictions.Skip(300).Concat(predictions.Take(300)));

        using var restarted = await StartServingAsync(database, model, group);
        await Eventually.ThatAsync(async () => await ScalarAsync(database, "SELECT count(*) FROM drift.windows WHERE model_name = $1", model) == 5,
            Deadline, "five windows of 200");

        Assert.Equal(300, atKill);
        Assert.Equal(1000, await CountedAsync(database, model));
        Assert.Equal(1000, await ScalarAsync(database, "SELECT count(DISTINCT seq) FROM drift.predictions WHERE stream_id = (SELECT stream_id FROM drift.streams WHERE model_name = $1)", model));
        Assert.Equal(999, await ScalarAsync(database, "SELECT max(seq) FROM drift.predictions WHERE stream_id = (SELECT stream_id FROM drift.streams WHERE model_name = $1)", model));
        Assert.Equal(1000, await ScalarAsync(database, "SELECT closed_until FROM drift.streams WHERE model_name = $1", model));
        Assert.Equal(1000, await ScalarAsync(database, "SELECT sum(end_seq - start_seq) FROM drift.windows WHERE model_name = $1", model));
        Assert.Equal(0, await ScalarAsync(database, """
            SELECT count(*) FROM drift.windows a JOIN drift.windows b ON a.stream_id = b.stream_id AND a.report_id < b.report_id
            AND a.start_seq < b.end_seq AND b.start_seq < a.end_seq WHERE a.model_name = $1
            """, model));
    }

    /// <summary>The drift service as its own process, once it serves gRPC.</summary>
    private Task<ServiceProcess> StartServingAsync(PostgresFixture database, string model, string group) => ServiceProcess.StartReadyAsync("CreditRisk.Drift.Service.dll", new Dictionary<string, string>
    {
        ["ConnectionStrings__Postgres"] = database.ConnectionString,
        ["Kafka__BootstrapServers"] = environment.Broker.BootstrapServers,
        ["Kafka__StatisticsIntervalMs"] = "0",
        ["Kafka__Consumer__session.timeout.ms"] = "6000",
        ["Kafka__Consumer__heartbeat.interval.ms"] = "500",
        ["ApiKeys__tests__Key"] = TestApiKeys.Reader,
        ["ApiKeys__tests__Roles"] = "reader",
        ["Drift__ConsumerGroup"] = group,
        ["Drift__Models__0"] = model,
        ["Drift__WindowSize"] = "200",
        ["Drift__MinWindowSize"] = "50",
        ["Drift__SweepInterval"] = "00:00:00.200",
        ["Services__Registry__Address"] = environment.RegistryAddress,
        ["Services__Registry__ApiKey"] = TestApiKeys.Reader,
    }, ServesAsync, Deadline, "the drift process to serve gRPC");

    private static async Task<bool> ServesAsync(ServiceProcess process)
    {
        try
        {
            await new DriftService.DriftServiceClient(process.CallInvoker(TestApiKeys.Reader))
                .ListReportsAsync(new ListReportsRequest(), deadline: DateTime.UtcNow.AddSeconds(5));
            return true;
        }
        catch (RpcException)
        {
            return false;
        }
    }

    private static Task<long> CountedAsync(PostgresFixture database, string model) => ScalarAsync(database,
        "SELECT count(*) FROM drift.predictions p JOIN drift.streams s USING (stream_id) WHERE s.model_name = $1", model);

    private static async Task<long> ScalarAsync(PostgresFixture database, string sql, string model)
    {
        try
        {
            return await DriftDatabase.ScalarAsync(database, sql, model);
        }
        catch (PostgresException missing) when (missing.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return 0;   // the first process has not migrated yet
        }
    }
}
