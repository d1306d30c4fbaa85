using CreditRisk.Testing.Postgres;
using Npgsql;

namespace CreditRisk.FeatureStore.Tests.Support;

/// <summary>A fresh PostgreSQL database with the offline store's schema migrated.</summary>
public class OfflineStoreDatabase : IAsyncLifetime
{
    private readonly PostgresFixture _postgres = new();
    private NpgsqlDataSource? _dataSource;

    public NpgsqlDataSource DataSource => _dataSource ?? throw new InvalidOperationException("Not initialised.");

    public PostgresOfflineStore Store { get; private set; } = null!;

    public virtual async ValueTask InitializeAsync()
    {
        await _postgres.InitializeAsync();
        _dataSource = _postgres.CreateDataSource();
        Store = new PostgresOfflineStore(_dataSource);
        await Store.MigrateAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
        await _postgres.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    public async Task<long> CountAsync(string where = "true")
    {
        await using var command = DataSource.CreateCommand($"SELECT count(*) FROM feature_store.feature_rows WHERE {where}");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The whole table as text, ordered: equal strings mean equal tables.</summary>
    public async Task<string> DumpAsync()
    {
        await using var command = DataSource.CreateCommand("""
            SELECT string_agg(format('%s|%s|%s|%s|%s|%s|%s|%s', entity_type, entity_id, feature_view, view_version, event_ts, created_ts, event_id, feature_values), E'\n'
                              ORDER BY feature_view, view_version, entity_type, entity_id, event_id)
            FROM feature_store.feature_rows
            """);
        return (await command.ExecuteScalarAsync()) as string ?? "";
    }
}
