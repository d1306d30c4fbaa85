using CreditRisk.Persistence.Migrations;
using CreditRisk.Testing.Kafka;
using CreditRisk.Testing.Postgres;
using Npgsql;

namespace CreditRisk.Persistence.Tests;

/// <summary>The shared migration runner against real PostgreSQL, on the test schema "ledger" (Migrations/*.sql), one fresh database per test.</summary>
public sealed class SchemaMigratorTests : IAsyncLifetime
{
    private static readonly SchemaMigrations Ledger = SchemaMigrations.FromEmbeddedSql("ledger", typeof(SchemaMigratorTests).Assembly, "Migrations");

    private readonly PostgresFixture _postgres = new();
    private NpgsqlDataSource _dataSource = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await _postgres.InitializeAsync();
        _dataSource = _postgres.CreateDataSource();
    }

    public async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task Replicas_migrating_at_once_apply_each_migration_once()
    {
        // Separate data sources are separate connection pools, as separate hosts have.
        var replicas = Enumerable.Range(0, 4).Select(_ => _postgres.CreateDataSource()).ToList();
        try
        {
            var applied = await Task.WhenAll(replicas.Select(replica => new SchemaMigrator(replica).MigrateAsync(Ledger, Ct)));

            Assert.Equal(["0001_accounts", "0002_entries", "0003_balances"], applied.SelectMany(versions => versions).Order());
            Assert.Single(applied, versions => versions.Count > 0);
            Assert.Equal(["0001_accounts", "0002_entries", "0003_balances"], await RecordedAsync());
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_rerun_applies_nothing_and_keeps_the_data()
    {
        var migrator = new SchemaMigrator(_dataSource);
        await migrator.MigrateAsync(Ledger, Ct);
        await ExecuteAsync("INSERT INTO ledger.accounts (account_id) VALUES ('kept')");

        Assert.Empty(await migrator.MigrateAsync(Ledger, Ct));

        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM ledger.accounts WHERE account_id = 'kept'"));
        Assert.Equal(3, (await RecordedAsync()).Count);
    }

    [Fact]
    public async Task A_database_left_at_a_version_gets_only_the_migrations_after_it()
    {
        var migrator = new SchemaMigrator(_dataSource);

        Assert.Equal(["0001_accounts"], await migrator.MigrateAsync(Ledger, upToNumber: 1, Ct));
        Assert.Null(await ScalarAsync("SELECT to_regclass('ledger.entries')::text"));

        Assert.Equal(["0002_entries", "0003_balances"], await migrator.MigrateAsync(Ledger, Ct));
        Assert.NotNull(await ScalarAsync("SELECT to_regclass('ledger.entries')::text"));
    }

    [Fact]
    public async Task A_step_after_a_migration_sees_its_changes_and_commits_with_it()
    {
        var migrator = new SchemaMigrator(_dataSource);
        await migrator.MigrateAsync(Ledger, upToNumber: 2, Ct);
        await ExecuteAsync("INSERT INTO ledger.accounts VALUES ('a'); INSERT INTO ledger.entries VALUES ('a', 5), ('a', 7)");
        var withBalances = Ledger.WithStepAfter(3, async (connection, cancellationToken) =>
        {
            await using var fill = new NpgsqlCommand(
                "UPDATE ledger.accounts SET balance = (SELECT sum(amount) FROM ledger.entries WHERE entries.account_id = accounts.account_id)", connection);
            await fill.ExecuteNonQueryAsync(cancellationToken);
        });

        Assert.Equal(["0003_balances"], await migrator.MigrateAsync(withBalances, Ct));

        Assert.Equal(12m, await ScalarAsync("SELECT balance FROM ledger.accounts WHERE account_id = 'a'"));
    }

    [Fact]
    public async Task A_failing_step_rolls_its_migration_back_and_leaves_the_earlier_ones_applied()
    {
        var failing = Ledger.WithStepAfter(3, (_, _) => throw new InvalidOperationException("conversion failed"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => new SchemaMigrator(_dataSource).MigrateAsync(failing, Ct));

        Assert.Equal(["0001_accounts", "0002_entries"], await RecordedAsync());
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'ledger' AND column_name = 'balance'"));
        // The session's lock went with the failure: the next run is not blocked and applies the rest.
        Assert.Equal(["0003_balances"], await new SchemaMigrator(_dataSource).MigrateAsync(Ledger, Ct));
    }

    [Fact]
    public async Task A_failing_script_changes_nothing_of_its_own()
    {
        var schema = new SchemaMigrations("ledger",
        [
            new Migration(1, "0001_accounts", "CREATE TABLE ledger.accounts (account_id text PRIMARY KEY)"),
            new Migration(2, "0002_broken", "CREATE TABLE ledger.half_done (id int); SELECT 1 / 0"),
        ]);

        await Assert.ThrowsAsync<PostgresException>(() => new SchemaMigrator(_dataSource).MigrateAsync(schema, Ct));

        Assert.Equal(["0001_accounts"], await RecordedAsync());
        Assert.Null(await ScalarAsync("SELECT to_regclass('ledger.half_done')::text"));
    }

    [Fact]
    public async Task Migrating_waits_while_another_replica_holds_the_schema_lock()
    {
        await using var other = await _dataSource.OpenConnectionAsync(Ct);
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({Ledger.LockKey})", other))
        {
            await take.ExecuteNonQueryAsync(Ct);
        }

        var migrating = new SchemaMigrator(_dataSource).MigrateAsync(Ledger, Ct);
        await Eventually.ThatAsync(
            async () => (long)(await ScalarAsync("""
                SELECT count(*) FROM pg_locks
                WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                """))! == 1,
            TimeSpan.FromSeconds(30), "the migrator to wait for the advisory lock");
        Assert.False(migrating.IsCompleted);
        Assert.Null(await ScalarAsync("SELECT to_regclass('ledger.schema_migrations')::text"));

        await using (var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({Ledger.LockKey})", other))
        {
            await release.ExecuteNonQueryAsync(Ct);
        }
        Assert.Equal(3, (await migrating).Count);
    }

    [Fact]
    public void Embedded_scripts_are_read_in_number_order_with_their_versions()
    {
        Assert.Equal([(1, "0001_accounts"), (2, "0002_entries"), (3, "0003_balances")], Ledger.All.Select(migration => (migration.Number, migration.Version)));
        Assert.Contains("CREATE TABLE ledger.accounts", Ledger.All[0].Sql, StringComparison.Ordinal);
        Assert.Equal("ledger.schema_migrations", Ledger.VersionTable);
        Assert.Throws<InvalidOperationException>(() => SchemaMigrations.FromEmbeddedSql("ledger", typeof(SchemaMigratorTests).Assembly, "Elsewhere"));
    }

    [Fact]
    public void The_lock_key_derives_from_the_schema_name_unless_declared()
    {
        Assert.Equal(SchemaMigrations.LockKeyOf("ledger"), Ledger.LockKey);
        Assert.NotEqual(SchemaMigrations.LockKeyOf("ledger"), SchemaMigrations.LockKeyOf("feature_store"));
        Assert.Equal(42, SchemaMigrations.FromEmbeddedSql("ledger", typeof(SchemaMigratorTests).Assembly, "Migrations", lockKey: 42).LockKey);
        Assert.Equal(Ledger.LockKey, Ledger.WithStepAfter(1, (_, _) => Task.CompletedTask).LockKey);
    }

    [Fact]
    public void Migrations_out_of_order_or_a_schema_name_that_needs_quoting_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new SchemaMigrations("ledger", [new Migration(2, "0002_b", ""), new Migration(1, "0001_a", "")]));
        Assert.Throws<ArgumentException>(() => new SchemaMigrations("Ledger; DROP", [new Migration(1, "0001_a", "")]));
        Assert.Throws<ArgumentException>(() => Ledger.WithStepAfter(9, (_, _) => Task.CompletedTask));
    }

    private async Task<List<string>> RecordedAsync()
    {
        await using var command = _dataSource.CreateCommand("SELECT version FROM ledger.schema_migrations ORDER BY version");
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var versions = new List<string>();
        while (await reader.ReadAsync(Ct))
        {
            versions.Add(reader.GetString(0));
        }
        return versions;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = _dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(Ct);
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var command = _dataSource.CreateCommand(sql);
        var value = await command.ExecuteScalarAsync(Ct);
        return value is DBNull ? null : value;
    }
}
