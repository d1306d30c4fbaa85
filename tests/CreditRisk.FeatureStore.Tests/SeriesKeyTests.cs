using CreditRisk.FeatureStore.Tests.Support;
using Npgsql;
using static CreditRisk.FeatureStore.Tests.Support.Rows;

namespace CreditRisk.FeatureStore.Tests;

public sealed class SeriesKeyTests(OfflineStoreDatabase database) : IClassFixture<OfflineStoreDatabase>
{
    [Fact]
    public async Task The_series_key_is_the_one_PostgreSQL_computes_for_every_key_length_and_non_ascii_text()
    {
        var ct = TestContext.Current.CancellationToken;
        // Lengths around every tail case of the hash (0–11 bytes after the 12-byte blocks), multi-byte UTF-8, negative versions.
        var keys = new List<(string View, int Version, string EntityType, string EntityId)>();
        for (var length = 0; length <= 40; length++)
        {
            keys.Add(("customer_transactions", 1, "customer", new string('x', length)));
            keys.Add(("v", length - 5, "c", string.Concat(Enumerable.Range(0, length).Select(i => (char)('a' + i % 26)))));
        }
        keys.Add(("application", 1, "application", "ånsøkning-€-ß-日本-😀"));
        keys.Add(("", 0, "", ""));

        await using var command = database.DataSource.CreateCommand(
            "SELECT feature_store.series_key(view, version, entity_type, entity_id) FROM unnest($1::text[], $2::integer[], $3::text[], $4::text[]) WITH ORDINALITY AS k (view, version, entity_type, entity_id, n) ORDER BY n");
        command.Parameters.Add(new NpgsqlParameter { Value = keys.Select(key => key.View).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = keys.Select(key => key.Version).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = keys.Select(key => key.EntityType).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = keys.Select(key => key.EntityId).ToArray() });
        var expected = new List<long>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                expected.Add(reader.GetInt64(0));
            }
        }

        Assert.Equal(expected, keys.Select(key => SeriesKey.Of(key.View, key.Version, key.EntityType, key.EntityId)));
    }

    [Fact]
    public async Task A_batch_is_written_in_the_order_of_the_as_of_index()
    {
        var ct = TestContext.Current.CancellationToken;
        // Several series, each with rows that tie on event time (then created time, then event id decide).
        var rows = Enumerable.Range(0, 400)
            .Select(i => Transactions($"order-{i % 23}", T0.AddHours(i % 5), T0.AddHours(i % 3), $"order-e{i}", i))
            .ToArray();
        Random.Shared.Shuffle(rows);
        await database.Store.AppendAsync(rows, ct);

        var indexOrder = await EventIdsAsync("feature_store.series_key(feature_view, view_version, entity_type, entity_id), event_ts DESC, created_ts DESC, event_id DESC", ct);
        // A fresh table only ever appended to: the rows' physical order is the order they were copied in.
        var writtenOrder = await EventIdsAsync("ctid", ct);

        Assert.Equal(400, indexOrder.Count);
        Assert.Equal(indexOrder, PostgresOfflineStore.InIndexOrder(rows).Select(row => row.EventId));
        Assert.Equal(indexOrder, writtenOrder);
    }

    private async Task<List<string>> EventIdsAsync(string orderBy, CancellationToken cancellationToken)
    {
        var eventIds = new List<string>();
        await using var command = database.DataSource.CreateCommand($"SELECT event_id FROM feature_store.feature_rows WHERE entity_id LIKE 'order-%' ORDER BY {orderBy}");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            eventIds.Add(reader.GetString(0));
        }
        return eventIds;
    }
}
