using Confluent.Kafka;
using CreditRisk.Features.Persistence;
using CreditRisk.Features.Processing;
using CreditRisk.Persistence.Migrations;
using CreditRisk.Testing.Postgres;
using Npgsql;

namespace CreditRisk.Features.Tests;

/// <summary>The checkpoint's fences: what keeps a zombie instance from overwriting the new owner's work.</summary>
public sealed class CheckpointStoreTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly TopicPartition Partition = new("checkpoint-test", new Partition(0));

    [Fact]
    public async Task A_checkpoint_from_a_stale_state_or_offset_fails_whole_and_one_from_the_stored_version_moves_both()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await MigratedDatabaseAsync(ct);
        var store = new CustomerStateStore(database);
        var customer = "fence-" + Guid.NewGuid().ToString("N")[..8];

        // The owner stores version 1 of the state and offset 10.
        var owner = CustomerProcessingState.New(customer, TimeSpan.FromDays(1));
        await store.CheckpointAsync([owner.Snapshot()], [new OffsetCheckpoint(Partition, null, 10)], ct);

        // A zombie that read the state before that (version 0) cannot store its version 1...
        var zombie = CustomerProcessingState.New(customer, TimeSpan.FromDays(1));
        await Assert.ThrowsAsync<ConcurrentStateUpdateException>(
            () => store.CheckpointAsync([zombie.Snapshot()], [], ct));
        // ...nor move an offset it read as something else, and a failed checkpoint changes nothing: the owner's
        // next state is not stored along with the zombie's offset.
        await Assert.ThrowsAsync<ConcurrentStateUpdateException>(
            () => store.CheckpointAsync([owner.Snapshot()], [new OffsetCheckpoint(Partition, 5, 20)], ct));
        Assert.Equal(1, (await store.LoadAsync([customer], ct))[customer].Version);
        Assert.Equal(10, (await store.LoadOffsetsAsync([Partition], ct))[Partition]);

        // The owner, from what is stored, moves on.
        var reloaded = (await store.LoadAsync([customer], ct))[customer];
        await store.CheckpointAsync([reloaded.Snapshot()], [new OffsetCheckpoint(Partition, 10, 20)], ct);
        Assert.Equal(2, (await store.LoadAsync([customer], ct))[customer].Version);
        Assert.Equal(20, (await store.LoadOffsetsAsync([Partition], ct))[Partition]);
    }

    [Fact]
    public async Task A_checkpoint_stores_its_states_in_primary_key_order_and_reads_them_all_back()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await MigratedDatabaseAsync(ct);
        var store = new CustomerStateStore(database);
        var prefix = "order-" + Guid.NewGuid().ToString("N")[..8] + "-";
        var customers = Enumerable.Range(0, 200).Select(i => $"{prefix}{i:x3}").ToArray();
        Random.Shared.Shuffle(customers);

        await store.CheckpointAsync([.. customers.Select(customer => CustomerProcessingState.New(customer, TimeSpan.FromDays(1)).Snapshot())], [], ct);

        // New rows are appended in the order they were upserted: ctid order shows it.
        var stored = new List<string>();
        await using (var command = database.CreateCommand($"SELECT customer_id FROM feature_processor.customer_state WHERE customer_id LIKE '{prefix}%' ORDER BY ctid"))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                stored.Add(reader.GetString(0));
            }
        }
        Assert.Equal(customers.Order(StringComparer.Ordinal), stored);
        Assert.Equal(customers.Length, (await store.LoadAsync(customers, ct)).Count);
    }

    /// <summary>A data source (the caller disposes it) over the test database with the service's schema migrated.</summary>
    private async Task<NpgsqlDataSource> MigratedDatabaseAsync(CancellationToken ct)
    {
        var database = postgres.CreateDataSource();
        await new SchemaMigrator(database).MigrateAsync(FeatureProcessorSchema.Migrations, ct);
        return database;
    }
}
