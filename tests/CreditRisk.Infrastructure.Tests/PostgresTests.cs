using CreditRisk.Testing.Postgres;
using Npgsql;

namespace CreditRisk.Infrastructure.Tests;

public sealed class PostgresTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Creates_a_table_writes_rows_and_reads_an_as_of_value()
    {
        await using var dataSource = postgres.CreateDataSource();
        await using (var create = dataSource.CreateCommand("""
            CREATE TABLE feature_history (entity_id text, event_ts timestamptz, value double precision, PRIMARY KEY (entity_id, event_ts));
            INSERT INTO feature_history VALUES ('C-1', '2026-01-01Z', 1), ('C-1', '2026-02-01Z', 2), ('C-1', '2026-03-01Z', 3);
            """))
        {
            await create.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        await using var asOf = dataSource.CreateCommand(
            "SELECT value FROM feature_history WHERE entity_id = $1 AND event_ts <= $2 ORDER BY event_ts DESC LIMIT 1");
        asOf.Parameters.AddWithValue("C-1");
        asOf.Parameters.AddWithValue(new DateTime(2026, 2, 15, 0, 0, 0, DateTimeKind.Utc));

        Assert.Equal(2d, await asOf.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Rejects_a_duplicate_key_so_idempotent_writes_can_rely_on_it()
    {
        await using var dataSource = postgres.CreateDataSource();
        await using (var create = dataSource.CreateCommand("CREATE TABLE processed_events (event_id text PRIMARY KEY)"))
        {
            await create.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        await using var insert = dataSource.CreateCommand("INSERT INTO processed_events VALUES ('e-1') ON CONFLICT DO NOTHING");
        var first = await insert.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        var again = await insert.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, first);
        Assert.Equal(0, again);
        await using var plain = dataSource.CreateCommand("INSERT INTO processed_events VALUES ('e-1')");
        var error = await Assert.ThrowsAsync<PostgresException>(() => plain.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, error.SqlState);
    }
}
