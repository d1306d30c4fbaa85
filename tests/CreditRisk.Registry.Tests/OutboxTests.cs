using CreditRisk.Contracts.Events.V1;
using CreditRisk.Contracts.Registry.V1;
using CreditRisk.Contracts.Topics;
using CreditRisk.Messaging.Publishing;
using CreditRisk.Registry.Tests.Support;
using CreditRisk.Testing.Hosting;
using CreditRisk.Testing.Kafka;
using CreditRisk.Testing.Postgres;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace CreditRisk.Registry.Tests;

/// <summary>
/// Registry events reach Kafka through the outbox: exactly one event per change as an idempotent consumer
/// (deduplicating on the envelope event id) sees it — also when the process dies between commit and relay
/// or between the broker's ack and marking the row relayed — and no event without its committed change.
/// </summary>
public sealed class OutboxTests(PostgresFixture postgres, DevBrokerFixture broker) : IClassFixture<PostgresFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<RegistryHost> StartAsync(bool relayEnabled = true, Action<IServiceCollection>? services = null) =>
        RegistryHost.StartAsync(postgres.ConnectionString, broker.BootstrapServers, relayEnabled, services: services);

    private List<(string EventIdHeader, ModelVersionPromoted Event)> Promotions(string model) =>
        [.. TopicReader.ReadEvents<ModelVersionPromoted>(broker.BootstrapServers, TopicCatalogue.ModelPromotions.Name).Where(r => r.Event.ModelName == model)];

    private List<(string EventIdHeader, ModelVersionRegistered Event)> Registrations(string model) =>
        [.. TopicReader.ReadEvents<ModelVersionRegistered>(broker.BootstrapServers, TopicCatalogue.ModelRegistrations.Name).Where(r => r.Event.ModelName == model)];

    private async Task<long> PendingAsync()
    {
        await using var dataSource = postgres.CreateDataSource();
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM outbox WHERE relayed_time IS NULL");
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }

    /// <summary>Every committed change has its event and every event its committed change, once per event id.</summary>
    private async Task AssertOneEventPerChangeAsync(string model, int expectedChanges)
    {
        var committed = await CommittedChanges.EventIdsAsync(postgres, model, Ct);
        Assert.Equal(expectedChanges, committed.Count);
        var seen = Promotions(model).Select(r => r.Event.Envelope.EventId).Concat(Registrations(model).Select(r => r.Event.Envelope.EventId)).ToList();
        // What an idempotent consumer keeps: one per event id.
        Assert.Equal(committed.Order(), seen.Distinct().Order());
    }

    [Fact]
    public async Task An_alias_move_emits_exactly_one_promoted_event()
    {
        await using var host = await StartAsync();
        var (model, _, artifactSha) = await Seed.ModelWithVersionsAsync(host.Admin, 2);
        var promoter = host.Client(TestApiKeys.Promoter);
        var move = await promoter.SetAliasAsync(new SetAliasRequest { ModelName = model, Alias = "champion", Version = 2, Reason = "best auc" }, cancellationToken: Ct);
        // Setting it where it already is changes nothing and emits nothing.
        await promoter.SetAliasAsync(new SetAliasRequest { ModelName = model, Alias = "champion", Version = 2, Reason = "retry" }, cancellationToken: Ct);
        // A refused move writes no event either.
        await Assert.ThrowsAsync<RpcException>(() => promoter.SetAliasAsync(new SetAliasRequest { ModelName = model, Alias = "champion", Version = 7 }, cancellationToken: Ct).ResponseAsync);

        await Eventually.ThatAsync(async () => await PendingAsync() == 0, Deadline, "the outbox to be relayed");

        var promotion = Assert.Single(Promotions(model));
        Assert.Equal(move.EventId, promotion.Event.Envelope.EventId);
        Assert.Equal(move.EventId, promotion.EventIdHeader);
        Assert.Equal(model, promotion.Event.Envelope.EntityKey);
        Assert.Equal("registry", promotion.Event.Envelope.Source);
        Assert.Equal((0, 2, "release-manager", "best auc", false, artifactSha),
            (promotion.Event.FromVersion, promotion.Event.ToVersion, promotion.Event.Actor, promotion.Event.Reason, promotion.Event.IsRollback, promotion.Event.ArtifactDigest));
        Assert.Equal([1, 2], Registrations(model).Select(r => r.Event.Version));
        await AssertOneEventPerChangeAsync(model, 3);
    }

    [Fact]
    public async Task A_change_committed_just_before_the_process_died_is_relayed_once_after_restart()
    {
        string model;
        // The first process commits, then dies before its relay ever runs (here: it has none).
        await using (var dying = await StartAsync(relayEnabled: false))
        {
            (model, _, _) = await Seed.ModelWithVersionsAsync(dying.Admin, 2);
            await dying.Client(TestApiKeys.Promoter).SetAliasAsync(new SetAliasRequest { ModelName = model, Alias = "champion", Version = 1 }, cancellationToken: Ct);
            await dying.Client(TestApiKeys.Promoter).SetAliasAsync(new SetAliasRequest { ModelName = model, Alias = "champion", Version = 2 }, cancellationToken: Ct);
            Assert.True(await PendingAsync() >= 4);
        }
        Assert.Empty(Promotions(model));
        Assert.Empty(Registrations(model));

        await using var restarted = await StartAsync();
        await Eventually.ThatAsync(async () => await PendingAsync() == 0, Deadline, "the restarted relay to drain the outbox");

        Assert.Equal([(0, 1), (1, 2)], Promotions(model).Select(r => (r.Event.FromVersion, r.Event.ToVersion)));
        await AssertOneEventPerChangeAsync(model, 4);
    }

    [Fact]
    public async Task A_crash_after_the_broker_ack_republishes_the_same_event_id_which_consumers_deduplicate()
    {
        CrashAfterAckPublisher<ModelVersionPromoted>? crashing = null;
        await using var host = await StartAsync(services: services => services.AddSingleton<IEventPublisher>(provider =>
            crashing = new CrashAfterAckPublisher<ModelVersionPromoted>(ActivatorUtilities.CreateInstance<KafkaEventPublisher>(provider))));
        var (model, _, _) = await Seed.ModelWithVersionsAsync(host.Admin, 1);
        var move = await host.Client(TestApiKeys.Promoter).SetAliasAsync(new SetAliasRequest { ModelName = model, Alias = "champion", Version = 1 }, cancellationToken: Ct);

        await Eventually.ThatAsync(async () => await PendingAsync() == 0, Deadline, "the relay to recover and mark the event relayed");

        Assert.Equal(1, crashing!.Crashes);
        var records = Promotions(model);
        // At least once on the wire: the event went out before the crash and again after it, with one id.
        Assert.True(records.Count >= 2, $"expected the promotion to be republished, found {records.Count} record(s)");
        Assert.All(records, record => Assert.Equal(move.EventId, record.Event.Envelope.EventId));
        await AssertOneEventPerChangeAsync(model, 2);
    }
}
