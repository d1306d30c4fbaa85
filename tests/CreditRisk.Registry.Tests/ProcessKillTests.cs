using CreditRisk.Contracts.Events.V1;
using CreditRisk.Contracts.Registry.V1;
using CreditRisk.Contracts.Topics;
using CreditRisk.Registry.Tests.Support;
using CreditRisk.Testing.Hosting;
using CreditRisk.Testing.Kafka;
using CreditRisk.Testing.Postgres;
using CreditRisk.Testing.Processes;
using Grpc.Core;
using Npgsql;

namespace CreditRisk.Registry.Tests;

/// <summary>
/// The outbox under a real crash: the registry runs as its own process, promotions stream in, and the
/// process is SIGKILLed while committed events are still waiting for (or in the middle of) their relay.
/// A restarted process must emit every committed change, and nothing else, once per event id.
/// </summary>
public sealed class ProcessKillTests(PostgresFixture postgres, DevBrokerFixture broker) : IClassFixture<PostgresFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<RegistryProcess> StartRegistryAsync(string artifactRoot, IReadOnlyDictionary<string, string>? extra = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["Kafka__StatisticsIntervalMs"] = "0",
            ["Registry__Outbox__PollIntervalMs"] = "200",
        };
        foreach (var (name, value) in extra ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }
        return RegistryProcess.StartAsync(RegistryProcess.Dll, postgres.ConnectionString, broker.BootstrapServers, artifactRoot,
            TestApiKeys.Admin, "reader,writer,promoter", Deadline, environment);
    }

    private async Task<long> ScalarAsync(string sql, string? model = null)
    {
        await using var dataSource = postgres.CreateDataSource();
        await using var command = dataSource.CreateCommand(sql);
        if (model is not null)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = model });
        }
        return Convert.ToInt64(await command.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Killing_the_process_between_commit_and_relay_loses_and_invents_no_event()
    {
        var artifactRoot = Path.Combine(Path.GetTempPath(), "registry-tests", Guid.NewGuid().ToString("N"));
        string model;
        var acknowledged = new List<AliasMove>();
        long pendingAtKill;

        // A slow producer (linger 300 ms) widens the window between commit and broker ack, where the kill lands.
        using (var doomed = await StartRegistryAsync(artifactRoot, new Dictionary<string, string> { ["Kafka__Producer__linger.ms"] = "300" }))
        {
            (model, _, _) = await Seed.ModelWithVersionsAsync(doomed.Client, 4);

            using var stop = new CancellationTokenSource();
            async Task PromoteUntilKilled(int offset)
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    try
                    {
                        var move = await doomed.Client.SetAliasAsync(new SetAliasRequest
                        {
                            ModelName = model,
                            Alias = offset == 0 ? "champion" : "challenger",
                            Version = (i + offset) % 4 + 1,
                            Reason = $"chaos {offset}/{i}",
                        }, cancellationToken: CancellationToken.None);
                        lock (acknowledged)
                        {
                            acknowledged.Add(move);
                        }
                    }
                    catch (RpcException)
                    {
                        return; // The process died under the call; it may or may not have committed.
                    }
                }
            }
            var promoters = new[] { Task.Run(() => PromoteUntilKilled(0), Ct), Task.Run(() => PromoteUntilKilled(1), Ct) };
            await Eventually.ThatAsync(() => { lock (acknowledged) { return acknowledged.Count >= 20; } }, Deadline, "20 acknowledged promotions");

            doomed.Kill();
            await stop.CancelAsync();
            await Task.WhenAll(promoters);
            pendingAtKill = await ScalarAsync("SELECT count(*) FROM outbox WHERE relayed_time IS NULL");
        }
        // The kill left committed changes whose events were not (known to be) relayed.
        Assert.True(pendingAtKill > 0, "the kill should land while events were waiting for their relay");

        using var restarted = await StartRegistryAsync(artifactRoot);
        await Eventually.ThatAsync(async () => await ScalarAsync("SELECT count(*) FROM outbox WHERE relayed_time IS NULL") == 0,
            Deadline, "the restarted registry to relay what the killed one left");

        var committed = await CommittedChanges.EventIdsAsync(postgres, model, Ct);
        var promotions = TopicReader.ReadEvents<ModelVersionPromoted>(broker.BootstrapServers, TopicCatalogue.ModelPromotions.Name)
            .Where(record => record.Event.ModelName == model).ToList();
        var registrations = TopicReader.ReadEvents<ModelVersionRegistered>(broker.BootstrapServers, TopicCatalogue.ModelRegistrations.Name)
            .Where(record => record.Event.ModelName == model).ToList();
        var seen = promotions.Select(r => r.Event.Envelope.EventId).Concat(registrations.Select(r => r.Event.Envelope.EventId)).ToHashSet();

        // No change without its event, no event without its change (as an idempotent consumer sees them: by event id).
        Assert.Equal(committed.Order(), seen.Order());
        // Every promotion the caller saw succeed is among them.
        Assert.Subset(seen, acknowledged.Select(move => move.EventId).ToHashSet());
        // The audit history of each alias is one unbroken chain, as are the events that describe it.
        foreach (var alias in new[] { "champion", "challenger" })
        {
            var moves = promotions.Where(r => r.Event.Alias == alias).DistinctBy(r => r.Event.Envelope.EventId).Select(r => r.Event).ToList();
            for (var i = 1; i < moves.Count; i++)
            {
                Assert.Equal(moves[i - 1].ToVersion, moves[i].FromVersion);
            }
        }
        TestContext.Current.SendDiagnosticMessage(
            $"kill left {pendingAtKill} pending; {committed.Count} changes, {promotions.Count + registrations.Count} records, {seen.Count} distinct event ids");
        restarted.Kill();
        Directory.Delete(artifactRoot, recursive: true);
    }
}
