using Npgsql;
using Xunit;

namespace CreditRisk.Testing.Postgres;

/// <summary>
/// A fresh, empty database on the real PostgreSQL started by the infra script, dropped afterwards,
/// so every test class starts from nothing (migrations included).
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private readonly NpgsqlConnectionStringBuilder _server = new(InfrastructureSettings.PostgresConnectionString);

    public string DatabaseName { get; } = $"test_{Guid.NewGuid():N}";

    /// <summary>Connection string to this fixture's own database.</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder(_server.ConnectionString) { Database = DatabaseName }.ConnectionString;

    public NpgsqlDataSource CreateDataSource() => NpgsqlDataSource.Create(ConnectionString);

    public async ValueTask InitializeAsync()
    {
        try
        {
            await using var connection = new NpgsqlConnection(_server.ConnectionString);
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{DatabaseName}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException exception)
        {
            throw new InvalidOperationException(
                $"PostgreSQL is not reachable at {_server.Host}:{_server.Port}; {InfrastructureSettings.StartHint}", exception);
        }
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_server.ConnectionString);
        await connection.OpenAsync();
        await DropDatabaseAsync(connection, DatabaseName);
    }

    /// <summary>
    /// Drops a test database after ending this role's sessions in it (a killed child process's, say). Not
    /// <c>WITH (FORCE)</c>: that also tries to end an autovacuum worker busy there, which this role may not signal,
    /// and fails; a plain DROP makes autovacuum give way by itself.
    /// </summary>
    public static async Task DropDatabaseAsync(NpgsqlConnection server, string database)
    {
        await using (var terminate = new NpgsqlCommand("""
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = $1 AND usename = current_user AND pid <> pg_backend_pid()
            """, server))
        {
            terminate.Parameters.Add(new NpgsqlParameter { Value = database });
            await terminate.ExecuteNonQueryAsync();
        }
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\"", server);
        await drop.ExecuteNonQueryAsync();
    }
}
