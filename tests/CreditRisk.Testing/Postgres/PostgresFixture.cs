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
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{DatabaseName}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
