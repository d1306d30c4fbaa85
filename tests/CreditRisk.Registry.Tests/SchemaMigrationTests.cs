using CreditRisk.Persistence.Migrations;
using CreditRisk.Registry.Data;
using CreditRisk.Testing.Postgres;
using Npgsql;

namespace CreditRisk.Registry.Tests;

/// <summary>The registry's schema on the shared runner (whose own tests cover racing, re-runs and partial upgrades in general).</summary>
public sealed class SchemaMigrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<List<string>> TablesAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name");
        var tables = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            tables.Add(reader.GetString(0));
        }
        return tables;
    }

    [Fact]
    public async Task Migrations_build_the_registry_tables_from_empty()
    {
        await using var postgres = new PostgresFixture();
        await postgres.InitializeAsync();
        await using var dataSource = postgres.CreateDataSource();
        Assert.Empty(await TablesAsync(dataSource));

        var applied = await new SchemaMigrator(dataSource).MigrateAsync(RegistrySchema.Migrations, Ct);

        Assert.Equal(["0001_tracking", "0002_registry_and_outbox", "0003_latest_metrics_autovacuum", "0004_serving_experiments"], applied);
        Assert.Equal(
            ["alias_moves", "artifacts", "experiments", "latest_metrics", "metrics", "model_aliases", "model_versions", "outbox",
             "params", "registered_models", "run_inputs", "runs", "schema_migrations", "serving_experiment_changes", "serving_experiments", "tags"],
            await TablesAsync(dataSource));
    }

    [Fact]
    public async Task A_database_an_older_release_left_with_only_the_first_migration_gets_the_rest()
    {
        await using var postgres = new PostgresFixture();
        await postgres.InitializeAsync();
        await using var dataSource = postgres.CreateDataSource();
        // What earlier releases wrote: the first migration and their version table, whose time column is named applied_time.
        var first = RegistrySchema.Migrations.All[0];
        await using (var apply = dataSource.CreateCommand(first.Sql + $"""
            ;
            CREATE TABLE schema_migrations (version text PRIMARY KEY, applied_time timestamptz NOT NULL DEFAULT now());
            INSERT INTO schema_migrations (version) VALUES ('{first.Version}');
            INSERT INTO experiments (name, created_time) VALUES ('kept', now());
            """))
        {
            await apply.ExecuteNonQueryAsync(Ct);
        }

        var applied = await new SchemaMigrator(dataSource).MigrateAsync(RegistrySchema.Migrations, Ct);

        Assert.Equal(RegistrySchema.Migrations.All.Skip(1).Select(migration => migration.Version), applied);
        Assert.Contains("outbox", await TablesAsync(dataSource));
        await using var kept = dataSource.CreateCommand("SELECT count(*) FROM experiments WHERE name = 'kept'");
        Assert.Equal(1L, await kept.ExecuteScalarAsync(Ct));
        await using var versions = dataSource.CreateCommand("SELECT count(*) FROM schema_migrations");
        Assert.Equal((long)RegistrySchema.Migrations.All.Count, await versions.ExecuteScalarAsync(Ct));
    }
}
