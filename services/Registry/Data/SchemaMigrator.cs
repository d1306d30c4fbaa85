using System.Reflection;
using Npgsql;

namespace CreditRisk.Registry.Data;

/// <summary>
/// Applies the embedded Data/Migrations/*.sql scripts in name order, each once, each in its own
/// transaction, recorded in schema_migrations. Safe to run again and from several replicas at once
/// (a session advisory lock serialises them).
/// </summary>
public sealed class SchemaMigrator(NpgsqlDataSource dataSource, ILogger<SchemaMigrator> logger)
{
    // Arbitrary but fixed: the registry's migration lock.
    private const long MigrationLockId = 0x5245_4749_5354_5259;

    public static IReadOnlyList<(string Version, string Sql)> Migrations { get; } = LoadMigrations();

    /// <summary>Applies the missing migrations; returns the versions it applied.</summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, null, "SELECT pg_advisory_lock(@id)", cancellationToken, ("id", MigrationLockId));
        try
        {
            await ExecuteAsync(connection, null, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version      text PRIMARY KEY,
                    applied_time timestamptz NOT NULL DEFAULT now())
                """, cancellationToken);

            var applied = new HashSet<string>(StringComparer.Ordinal);
            await using (var select = new NpgsqlCommand("SELECT version FROM schema_migrations", connection))
            await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    applied.Add(reader.GetString(0));
                }
            }

            var newlyApplied = new List<string>();
            foreach (var (version, sql) in Migrations.Where(migration => !applied.Contains(migration.Version)))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await ExecuteAsync(connection, transaction, sql, cancellationToken);
                await ExecuteAsync(connection, transaction, "INSERT INTO schema_migrations (version) VALUES (@version)", cancellationToken, ("version", version));
                await transaction.CommitAsync(cancellationToken);
                newlyApplied.Add(version);
                logger.LogInformation("Applied registry migration {Version}", version);
            }
            return newlyApplied;
        }
        finally
        {
            await ExecuteAsync(connection, null, "SELECT pg_advisory_unlock(@id)", CancellationToken.None, ("id", MigrationLockId));
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql,
        CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static List<(string Version, string Sql)> LoadMigrations()
    {
        var assembly = Assembly.GetExecutingAssembly();
        const string marker = ".Data.Migrations.";
        return assembly.GetManifestResourceNames()
            .Where(name => name.Contains(marker, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name =>
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                using var reader = new StreamReader(stream);
                var version = name[(name.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..^".sql".Length];
                return (version, reader.ReadToEnd());
            })
            .OrderBy(migration => migration.version, StringComparer.Ordinal)
            .ToList();
    }
}
