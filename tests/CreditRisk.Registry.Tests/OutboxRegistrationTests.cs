using System.Diagnostics.Metrics;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Contracts.Topics;
using CreditRisk.Outbox;
using CreditRisk.Registry.Tests.Support;
using CreditRisk.Testing.Kafka;
using CreditRisk.Testing.Postgres;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace CreditRisk.Registry.Tests;

/// <summary>
/// The outbox library as a service registers it (<c>AddOutbox</c>): two services' hosts, each with its own table in its
/// own schema of one database and its relay running, relay independently, each event once to its catalogue topic.
/// </summary>
public sealed class OutboxRegistrationTests(PostgresFixture postgres, DevBrokerFixture broker) : IClassFixture<PostgresFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Lock_ids_are_derived_from_the_table_name()
    {
        Assert.Equal(new OutboxTable("drift.outbox").RelayLockId, new OutboxTable("drift.outbox").RelayLockId);
        Assert.NotEqual(new OutboxTable("public.outbox").RelayLockId, new OutboxTable("drift.outbox").RelayLockId);
        Assert.NotEqual(new OutboxTable("drift.outbox").RelayLockId, new OutboxTable("drift.outbox2").RelayLockId);
    }

    [Theory]
    [InlineData("outbox")]
    [InlineData("Public.Outbox")]
    [InlineData("public.outbox; DROP TABLE runs")]
    [InlineData("a.b.c")]
    public void A_table_name_is_schema_qualified_and_plain(string name)
    {
        // It is interpolated into SQL, so nothing but lower-case identifiers passes.
        Assert.Throws<ArgumentException>(() => new OutboxTable(name));
        Assert.Throws<ArgumentException>(() => OutboxTable.CreateSql(name));
    }

    [Fact]
    public void Every_catalogue_event_type_parses_and_no_other()
    {
        foreach (var descriptor in TopicCatalogue.EventTopics.Select(topic => topic.ValueType).OfType<MessageDescriptor>())
        {
            Assert.Equal(descriptor.FullName, OutboxEventTypes.Parse(descriptor.FullName, []).Descriptor.FullName);
        }
        var request = Request("parse", "round trip");
        Assert.Equal(request, OutboxEventTypes.Parse(RetrainRequested.Descriptor.FullName, request.ToByteArray()));
        Assert.Throws<InvalidOperationException>(() => OutboxEventTypes.Parse("creditrisk.events.v1.NoSuchEvent", []));
    }

    [Fact]
    public async Task CreateSql_matches_the_registry_table_and_indexes_pending_rows()
    {
        // The registry's migration 0002 created public.outbox by hand; the helper's table has the same columns.
        await using (await RegistryHost.StartAsync(postgres.ConnectionString, broker.BootstrapServers, relayEnabled: false))
        {
        }
        await using var dataSource = postgres.CreateDataSource();
        await ExecuteAsync(dataSource, $"CREATE SCHEMA IF NOT EXISTS ddl_check; {OutboxTable.CreateSql("ddl_check.outbox")}");
        await ExecuteAsync(dataSource, OutboxTable.CreateSql("ddl_check.outbox"));

        Assert.Equal(await ColumnsAsync(dataSource, "public"), await ColumnsAsync(dataSource, "ddl_check"));
        await using var index = dataSource.CreateCommand("SELECT indexdef FROM pg_indexes WHERE schemaname = 'ddl_check' AND indexname = 'outbox_pending'");
        Assert.Contains("WHERE (relayed_time IS NULL)", (string?)await index.ExecuteScalarAsync(Ct));
    }

    [Fact]
    public async Task Two_services_registered_with_AddOutbox_relay_their_own_tables_each_event_once()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (firstTable, secondTable) = ($"first_{suffix}.outbox", $"second_{suffix}.outbox");
        await using var dataSource = postgres.CreateDataSource();
        foreach (var table in new[] { firstTable, secondTable })
        {
            await ExecuteAsync(dataSource, $"CREATE SCHEMA IF NOT EXISTS {table.Split('.')[0]}; {OutboxTable.CreateSql(table)}");
        }
        var relayed = new Dictionary<string, long>();
        using var listener = RelayedListener(relayed);

        await using var first = await StartAsync("First:Outbox", firstTable);
        await using var second = await StartAsync("Second:Outbox", secondTable);
        var model = $"outbox-{suffix}";
        var firstEvent = Request(model, "first");
        var secondEvent = Request(model, "second");

        // A replica elsewhere holds the first table's relay lock: the second service relays regardless, the first waits.
        await using (var replica = await dataSource.OpenConnectionAsync(Ct))
        await using (var transaction = await replica.BeginTransactionAsync(Ct))
        {
            await using (var hold = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", replica, transaction))
            {
                hold.Parameters.Add(new() { Value = new OutboxTable(firstTable).RelayLockId });
                await hold.ExecuteNonQueryAsync(Ct);
            }
            await EnqueueAsync(first, dataSource, firstEvent);
            await EnqueueAsync(second, dataSource, secondEvent);
            await Eventually.ThatAsync(async () => await PendingAsync(dataSource, secondTable) == 0, Deadline, "the second table to be relayed");
            Assert.Equal(1, await PendingAsync(dataSource, firstTable));
        }
        await Eventually.ThatAsync(async () => await PendingAsync(dataSource, firstTable) == 0, Deadline, "the first table to be relayed once its lock is free");

        // Marked relayed only after the broker's ack, so both records are on the topic now: once each.
        var published = TopicReader.ReadEvents<RetrainRequested>(broker.BootstrapServers, TopicCatalogue.RetrainRequests.Name)
            .Where(record => record.Event.ModelName == model).ToList();
        // Two ids made in the same millisecond (version 7) need not sort in the order they were made.
        string[] expected = [.. new[] { firstEvent.Envelope.EventId, secondEvent.Envelope.EventId }.Order(StringComparer.Ordinal)];
        Assert.Equal(expected, published.Select(record => record.EventIdHeader).Order(StringComparer.Ordinal));
        Assert.Equal(expected, published.Select(record => record.Event.Envelope.EventId).Order(StringComparer.Ordinal));
        lock (relayed)
        {
            Assert.Equal(1, relayed.GetValueOrDefault(firstTable));
            Assert.Equal(1, relayed.GetValueOrDefault(secondTable));
        }
    }

    /// <summary>A service's host as its Program.cs composes it for the outbox alone: its data source, the event bus, its outbox.</summary>
    private async Task<RunningHost> StartAsync(string section, string table)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = Environments.Development });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = broker.BootstrapServers,
            ["Kafka:StatisticsIntervalMs"] = "0",
            [$"{section}:PollIntervalMs"] = "100",
        });
        builder.Services.AddLogging();
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(postgres.ConnectionString));
        builder.AddOutbox(section, table);
        var host = builder.Build();
        await host.StartAsync(Ct);
        return new RunningHost(host);
    }

    private static async Task EnqueueAsync(RunningHost running, NpgsqlDataSource dataSource, IIntegrationEvent @event)
    {
        await using var connection = await dataSource.OpenConnectionAsync(Ct);
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        await running.Host.Services.GetRequiredService<OutboxWriter>().EnqueueAsync(connection, transaction, @event, DateTime.UtcNow, Ct);
        await transaction.CommitAsync(Ct);
        running.Host.Services.GetRequiredService<OutboxSignal>().Notify();
    }

    private static MeterListener RelayedListener(Dictionary<string, long> relayed)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, meterListener) =>
            {
                if (instrument.Name == "creditrisk.outbox.relayed")
                {
                    meterListener.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == OutboxTelemetry.TableTag && tag.Value is string table)
                {
                    lock (relayed)
                    {
                        relayed[table] = relayed.GetValueOrDefault(table) + value;
                    }
                }
            }
        });
        listener.Start();
        return listener;
    }

    private static async Task<long> PendingAsync(NpgsqlDataSource dataSource, string table)
    {
        await using var command = dataSource.CreateCommand($"SELECT count(*) FROM {table} WHERE relayed_time IS NULL");
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }

    private static async Task<List<string>> ColumnsAsync(NpgsqlDataSource dataSource, string schema)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT column_name || ' ' || data_type || ' ' || is_nullable || ' ' || is_identity FROM information_schema.columns
            WHERE table_schema = $1 AND table_name = 'outbox' ORDER BY ordinal_position
            """);
        command.Parameters.Add(new() { Value = schema });
        var columns = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            columns.Add(reader.GetString(0));
        }
        return columns;
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(Ct);
    }

    private static RetrainRequested Request(string model, string reason) => new()
    {
        Envelope = EventEnvelopeFactory.Create(model, DateTimeOffset.UtcNow, "test"),
        RequestId = Guid.NewGuid().ToString(),
        ModelName = model,
        Trigger = RetrainTrigger.Manual,
        Reason = reason,
    };

    /// <summary>Stops the host (its relay ends its loop) before disposing it, also when an assertion failed.</summary>
    private sealed class RunningHost(IHost host) : IAsyncDisposable
    {
        public IHost Host { get; } = host;

        public async ValueTask DisposeAsync()
        {
            await Host.StopAsync(CancellationToken.None);
            Host.Dispose();
        }
    }
}
