using CreditRisk.FeatureStore;
using Npgsql;

namespace CreditRisk.Features.Persistence;

/// <summary>
/// Applies the embedded SQL migrations (Persistence/Migrations/NNNN_name.sql, in name order) that are not yet
/// recorded in feature_processor.schema_migrations, each in its own transaction, under an advisory lock so that instances
/// starting together do not race. Runs at start-up, after the offline store's own migrations and before the
/// processor consumes anything.
/// </summary>
public sealed class FeaturesDatabaseMigrator(NpgsqlDataSource database, IOfflineStore offlineStore, ILogger<FeaturesDatabaseMigrator> logger) : IHostedService
{
    private const long AdvisoryLockKey = 0x46454154_55524553;   // "FEATURES"

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await offlineStore.MigrateAsync(cancellationToken);
        await MigrateAsync(database, logger, cancellationToken);
    }

    public static async Task MigrateAsync(NpgsqlDataSource database, ILogger logger, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await Execute(connection, null, $"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken);
        try
        {
            await Execute(connection, null, """
                CREATE SCHEMA IF NOT EXISTS feature_processor;
                CREATE TABLE IF NOT EXISTS feature_processor.schema_migrations (
                    version text PRIMARY KEY,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """, cancellationToken);
            var applied = new HashSet<string>();
            await using (var query = new NpgsqlCommand("SELECT version FROM feature_processor.schema_migrations", connection))
            await using (var reader = await query.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    applied.Add(reader.GetString(0));
                }
            }
            foreach (var (version, sql) in Migrations())
            {
                if (applied.Contains(version))
                {
                    continue;
                }
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await Execute(connection, transaction, sql, cancellationToken);
                await using (var record = new NpgsqlCommand("INSERT INTO feature_processor.schema_migrations (version) VALUES ($1)", connection, transaction))
                {
                    record.Parameters.Add(new NpgsqlParameter { Value = version });
                    await record.ExecuteNonQueryAsync(cancellationToken);
                }
                await transaction.CommitAsync(cancellationToken);
                logger.LogInformation("Applied migration {Version}", version);
            }
        }
        finally
        {
            await Execute(connection, null, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
        }
    }

    private static IEnumerable<(string Version, string Sql)> Migrations()
    {
        var assembly = typeof(FeaturesDatabaseMigrator).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(name => name.EndsWith(".sql", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            // Resource names are "<namespace>.Persistence.Migrations.0001_x.sql": keep "0001_x".
            var file = name[(name.LastIndexOf(".Migrations.", StringComparison.Ordinal) + ".Migrations.".Length)..^".sql".Length];
            yield return (file, reader.ReadToEnd());
        }
    }

    private static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
