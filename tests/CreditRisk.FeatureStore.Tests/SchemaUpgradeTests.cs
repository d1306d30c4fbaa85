using CreditRisk.Contracts.Common.V1;
using CreditRisk.Persistence.Migrations;
using CreditRisk.Testing.Postgres;

namespace CreditRisk.FeatureStore.Tests;

public sealed class SchemaUpgradeTests
{
    [Fact]
    public async Task Rows_stored_as_jsonb_by_schema_version_1_are_converted_and_read_back_unchanged()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var postgres = new PostgresFixture();
        await postgres.InitializeAsync();
        await using var dataSource = postgres.CreateDataSource();
        // A database as version 1 left it, with a row of jsonb values.
        Assert.Equal(["0001_feature_rows"], await new SchemaMigrator(dataSource).MigrateAsync(OfflineStoreSchema.Migrations, upToNumber: 1, ct));
        await using (var setUp = dataSource.CreateCommand("""
            INSERT INTO feature_store.feature_rows VALUES
                ('customer', 'upgraded', 'customer_transactions', 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z', 'e1',
                 '{"txn_count_30d": 7, "txn_sum_30d": "NaN", "txn_mean_30d": null}');
            """))
        {
            await setUp.ExecuteNonQueryAsync(ct);
        }

        var store = new PostgresOfflineStore(dataSource);
        await store.MigrateAsync(ct);

        var row = await store.GetLatestRowsAsync(FeatureRegistry.CustomerTransactionsV1, cancellationToken: ct).SingleAsync(ct);
        Assert.Equal(("upgraded", "e1", new DateTimeOffset(2026, 1, 1, 0, 0, 1, TimeSpan.Zero)), (row.Entity.Id, row.EventId, row.CreatedTime));
        Assert.Equal(7, row.Values["txn_count_30d"].Int64Value);
        Assert.True(double.IsNaN(row.Values["txn_sum_30d"].DoubleValue));
        Assert.Equal(FeatureValue.KindOneofCase.None, row.Values["txn_mean_30d"].KindCase);
        // The converted row keeps its key: appending it again is a no-op.
        Assert.Equal(0, await store.AppendAsync([row], ct));
        await using var tables = dataSource.CreateCommand("SELECT count(*) FROM pg_tables WHERE schemaname = 'feature_store' AND tablename = 'feature_rows_v1'");
        Assert.Equal(0L, await tables.ExecuteScalarAsync(ct));
    }
}
