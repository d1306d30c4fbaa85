using System.Data;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CreditRisk.Persistence.Migrations;

/// <summary>
/// Applies the migrations of a schema that its version table does not record yet, in order, each in its own
/// transaction together with its record (and its code step, if any). A session advisory lock held meanwhile makes
/// replicas that start together take turns: the first applies, the others find nothing left to do.
/// </summary>
public sealed class SchemaMigrator(NpgsqlDataSource dataSource, ILogger? logger = null)
{
    /// <summary>Applies every missing migration; returns the versions applied, in order.</summary>
    public Task<IReadOnlyList<string>> MigrateAsync(SchemaMigrations schema, CancellationToken cancellationToken = default) =>
        MigrateAsync(schema, int.MaxValue, cancellationToken);

    /// <summary>
    /// Applies the missing migrations numbered up to <paramref name="upToNumber"/> and stops there: the database an
    /// older release would have left.
    /// </summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(SchemaMigrations schema, int upToNumber, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schema);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, "SELECT pg_advisory_lock($1)", cancellationToken, schema.LockKey);
        try
        {
            await CreateVersionTableAsync(connection, schema, cancellationToken);
            var recorded = await RecordedVersionsAsync(connection, schema, cancellationToken);
            var applied = new List<string>();
            foreach (var migration in schema.All.Where(migration => migration.Number <= upToNumber && !recorded.Contains(migration.Version)))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await ExecuteAsync(connection, migration.Sql, cancellationToken);
                if (migration.After is { } step)
                {
                    await step(connection, cancellationToken);
                }
                await ExecuteAsync(connection, $"INSERT INTO {schema.VersionTable} (version) VALUES ($1)", cancellationToken, migration.Version);
                await transaction.CommitAsync(cancellationToken);
                applied.Add(migration.Version);
                logger?.LogInformation("Applied migration {Version} of schema {Schema}", migration.Version, schema.Schema);
            }
            return applied;
        }
        finally
        {
            // A broken connection has lost its session, and the lock with it.
            if (connection.State == ConnectionState.Open)
            {
                await ExecuteAsync(connection, "SELECT pg_advisory_unlock($1)", CancellationToken.None, schema.LockKey);
            }
        }
    }

    private static async Task CreateVersionTableAsync(NpgsqlConnection connection, SchemaMigrations schema, CancellationToken cancellationToken)
    {
        // CREATE SCHEMA IF NOT EXISTS needs the CREATE privilege on the database even when the schema exists (public).
        await using (var exists = new NpgsqlCommand("SELECT EXISTS (SELECT FROM pg_namespace WHERE nspname = $1)", connection))
        {
            exists.Parameters.Add(new NpgsqlParameter { Value = schema.Schema });
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
            {
                await ExecuteAsync(connection, $"CREATE SCHEMA {schema.Schema}", cancellationToken);
            }
        }
        await ExecuteAsync(connection, $"""
            CREATE TABLE IF NOT EXISTS {schema.VersionTable} (
                version    text        PRIMARY KEY,
                applied_at timestamptz NOT NULL DEFAULT now())
            """, cancellationToken);
    }

    private static async Task<HashSet<string>> RecordedVersionsAsync(NpgsqlConnection connection, SchemaMigrations schema, CancellationToken cancellationToken)
    {
        var recorded = new HashSet<string>(StringComparer.Ordinal);
        await using var select = new NpgsqlCommand($"SELECT version FROM {schema.VersionTable}", connection);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            recorded.Add(reader.GetString(0));
        }
        return recorded;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
