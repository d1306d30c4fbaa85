using CreditRisk.Contracts.Events.V1;
using CreditRisk.Contracts.Topics;
using CreditRisk.Messaging.Publishing;
using CreditRisk.Outbox;
using CreditRisk.Registry.Tests.Support;
using CreditRisk.Testing.Kafka;
using CreditRisk.Testing.Postgres;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CreditRisk.Registry.Tests;

/// <summary>The outbox library with two services' tables in one database: each relays its own events, neither blocks the other.</summary>
public sealed class OutboxTableTests(PostgresFixture postgres, DevBrokerFixture broker) : IClassFixture<PostgresFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_outbox_tables_relay_independently_each_event_once_to_its_catalogue_topic()
    {
        await using var host = await RegistryHost.StartAsync(postgres.ConnectionString, broker.BootstrapServers, relayEnabled: false);
        await using var dataSource = postgres.CreateDataSource();
        var model = $"outbox-{Guid.NewGuid():N}"[..20];
        var (first, second) = (Table("first_service"), Table("second_service"));
        foreach (var table in new[] { first, second })
        {
            await using var create = dataSource.CreateCommand($"CREATE SCHEMA IF NOT EXISTS {table.Value.Table.Split('.')[0]}; {OutboxTable.CreateSql(table.Value.Table)}");
            await create.ExecuteNonQueryAsync(Ct);
        }
        var firstEvent = Request(model, "first");
        var secondEvent = Request(model, "second");
        await EnqueueAsync(dataSource, first, firstEvent);
        await EnqueueAsync(dataSource, second, secondEvent);

        var publisher = host.Get<IEventPublisher>();
        var firstRelay = new OutboxRelay(dataSource, publisher, first, TimeProvider.System);
        var secondRelay = new OutboxRelay(dataSource, publisher, second, TimeProvider.System);

        // Another replica relaying the first table holds its lock: the second table relays regardless.
        await using (var replica = await dataSource.OpenConnectionAsync(Ct))
        await using (var transaction = await replica.BeginTransactionAsync(Ct))
        {
            await using var hold = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", replica, transaction);
            hold.Parameters.Add(new() { Value = new OutboxTable(first.Value.Table).RelayLockId });
            await hold.ExecuteNonQueryAsync(Ct);
            Assert.Equal(0, await firstRelay.RelayBatchAsync(Ct));
            Assert.Equal(1, await secondRelay.RelayBatchAsync(Ct));
        }
        Assert.Equal(1, await firstRelay.RelayBatchAsync(Ct));
        Assert.Equal(0, await firstRelay.RelayBatchAsync(Ct));
        Assert.Equal(0, await secondRelay.RelayBatchAsync(Ct));

        List<RetrainRequested> published = [];
        await Eventually.ThatAsync(() => (published = [.. TopicReader.ReadEvents<RetrainRequested>(broker.BootstrapServers, TopicCatalogue.RetrainRequests.Name)
            .Select(record => record.Event).Where(@event => @event.ModelName == model)]).Count >= 2, Deadline, "both requests");
        Assert.Equal(["first", "second"], published.Select(@event => @event.Reason).Order());
    }

    private static IOptions<OutboxOptions> Table(string schema) =>
        Options.Create(new OutboxOptions { Table = $"{schema}_{Guid.NewGuid():N}"[..24] + ".outbox" });

    private static RetrainRequested Request(string model, string reason) => new()
    {
        Envelope = EventEnvelopeFactory.Create(model, DateTimeOffset.UtcNow, "test"),
        RequestId = Guid.NewGuid().ToString(),
        ModelName = model,
        Trigger = RetrainTrigger.Manual,
        Reason = reason,
    };

    private static async Task EnqueueAsync(NpgsqlDataSource dataSource, IOptions<OutboxOptions> table, IIntegrationEvent @event)
    {
        await using var connection = await dataSource.OpenConnectionAsync(Ct);
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        await new OutboxWriter(table).EnqueueAsync(connection, transaction, @event, DateTime.UtcNow, Ct);
        await transaction.CommitAsync(Ct);
    }
}
