using CreditRisk.Registry.Data;
using CreditRisk.Testing.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CreditRisk.Registry.Tests;

public sealed class SchemaMigrationTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
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
    public async Task Migrations_build_the_schema_from_empty_and_a_rerun_changes_nothing()
    {
        await using var dataSource = postgres.CreateDataSource();
        Assert.Empty(await TablesAsync(dataSource));

        // Two replicas starting at once: the advisory lock lets one apply, the other finds nothing left.
        var migrators = Enumerable.Range(0, 2).Select(_ => new SchemaMigrator(dataSource, NullLogger<SchemaMigrator>.Instance)).ToList();
        var applied = await Task.WhenAll(migrators.Select(migrator => migrator.MigrateAsync(Ct)));
        Assert.Equal(SchemaMigrator.Migrations.Select(m => m.Version), applied.SelectMany(versions => versions).Order());
        Assert.Equal(
            ["alias_moves", "artifacts", "experiments", "latest_metrics", "metrics", "model_aliases", "model_versions", "outbox",
             "params", "registered_models", "run_inputs", "runs", "schema_migrations", "tags"],
            await TablesAsync(dataSource));

        await using (var insert = dataSource.CreateCommand("INSERT INTO experiments (name, created_time) VALUES ('kept', now())"))
        {
            await insert.ExecuteNonQueryAsync(Ct);
        }

        var rerun = await new SchemaMigrator(dataSource, NullLogger<SchemaMigrator>.Instance).MigrateAsync(Ct);
        Assert.Empty(rerun);
        await using var count = dataSource.CreateCommand("SELECT count(*) FROM experiments WHERE name = 'kept'");
        Assert.Equal(1L, await count.ExecuteScalarAsync(Ct));
        await using var versions = dataSource.CreateCommand("SELECT count(*) FROM schema_migrations");
        Assert.Equal((long)SchemaMigrator.Migrations.Count, await versions.ExecuteScalarAsync(Ct));
    }

    [Fact]
    public async Task A_database_with_only_the_first_migration_gets_the_rest()
    {
        await using var admin = NpgsqlDataSource.Create(postgres.ConnectionString);
        var database = "partial_" + Guid.NewGuid().ToString("N");
        await using (var create = admin.CreateCommand($"CREATE DATABASE \"{database}\""))
        {
            await create.ExecuteNonQueryAsync(Ct);
        }
        try
        {
            var connectionString = new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Database = database }.ConnectionString;
            await using (var partial = NpgsqlDataSource.Create(connectionString))
            {
                // An older release: only 0001 applied.
                var (version, sql) = SchemaMigrator.Migrations[0];
                await using (var apply = partial.CreateCommand(sql + $"; CREATE TABLE schema_migrations (version text PRIMARY KEY, applied_time timestamptz NOT NULL DEFAULT now()); INSERT INTO schema_migrations (version) VALUES ('{version}')"))
                {
                    await apply.ExecuteNonQueryAsync(Ct);
                }
                var applied = await new SchemaMigrator(partial, NullLogger<SchemaMigrator>.Instance).MigrateAsync(Ct);
                Assert.Equal(SchemaMigrator.Migrations.Skip(1).Select(m => m.Version), applied);
                Assert.Contains("outbox", await TablesAsync(partial));
            }
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = await admin.OpenConnectionAsync(CancellationToken.None);
            await PostgresFixture.DropDatabaseAsync(connection, database);
        }
    }
}
