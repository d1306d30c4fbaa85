using CreditRisk.Contracts.Common.V1;
using CreditRisk.FeatureStore.Tests.Support;
using static CreditRisk.FeatureStore.Tests.Support.Rows;

namespace CreditRisk.FeatureStore.Tests;

public sealed class PostgresOfflineStoreTests(OfflineStoreDatabase database) : IClassFixture<OfflineStoreDatabase>
{
    [Theory]
    [InlineData(10)]      // multi-row INSERT ... ON CONFLICT path
    [InlineData(5_000)]   // COPY, failing on the key, then COPY + INSERT ... ON CONFLICT
    public async Task Appending_the_same_rows_twice_leaves_the_table_unchanged(int count)
    {
        var ct = TestContext.Current.CancellationToken;
        var prefix = $"idem{count}-";
        var rows = Enumerable.Range(0, count)
            .Select(i => Transactions($"{prefix}{i % 97}", T0.AddMinutes(i), T0.AddMinutes(i + 1), $"{prefix}e{i}", i))
            .ToArray();

        Assert.Equal(count, await database.Store.AppendAsync(rows, ct));
        var before = await database.DumpAsync();
        // A replay, in any order, changes nothing.
        var replay = rows.Reverse().ToArray();
        Assert.Equal(0, await database.Store.AppendAsync(replay, ct));
        Assert.Equal(0, await database.Store.AppendAsync(rows, ct));

        Assert.Equal(before, await database.DumpAsync());
        Assert.Equal(count, await database.CountAsync($"entity_id LIKE '{prefix}%'"));
    }

    [Fact]
    public async Task Rows_copied_in_bulk_are_stored_as_rows_inserted_by_statement()
    {
        var ct = TestContext.Current.CancellationToken;
        // Non-ASCII text, times before 2000 (PostgreSQL's epoch) and before 1970, sub-microsecond ticks, another version.
        FeatureRow Varied(string prefix, int i) => Transactions(
                $"{prefix}čř-客户-{i % 7}",
                new DateTimeOffset(1969, 12, 31, 23, 59, 59, TimeSpan.Zero).AddDays(i * 97).AddTicks(i * 13),
                new DateTimeOffset(1999, 12, 31, 23, 59, 59, TimeSpan.FromHours(2)).AddDays(i * 89).AddTicks(i * 7),
                $"é-{i}", i, i % 3 == 0 ? null : -i / 3.0)
            with { ViewVersion = 1 + i % 2 };
        const int Count = 150;   // above the multi-row INSERT's limit: one COPY
        Assert.Equal(Count, await database.Store.AppendAsync(Enumerable.Range(0, Count).Select(i => Varied("bulk-", i)).ToArray(), ct));
        foreach (var chunk in Enumerable.Range(0, Count).Select(i => Varied("stmt-", i)).Chunk(50))
        {
            Assert.Equal(chunk.Length, await database.Store.AppendAsync(chunk, ct));
        }

        Assert.Equal(await DumpAsync("stmt-"), await DumpAsync("bulk-"));
        Assert.Equal(Count, (await DumpAsync("bulk-")).Length);
        Assert.Contains("1969-12-31 23:59:59+00|", (await DumpAsync("bulk-"))[0], StringComparison.Ordinal);

        async Task<string[]> DumpAsync(string prefix)
        {
            await using var command = database.DataSource.CreateCommand($"""
                SELECT format('%s|%s|%s|%s|%s|%s|%s|%s', entity_type, substr(entity_id, {prefix.Length + 1}), feature_view, view_version,
                              event_ts, created_ts, event_id, encode(feature_values, 'hex'))
                FROM feature_store.feature_rows WHERE entity_id LIKE '{prefix}%' ORDER BY event_id, view_version
                """);
            var lines = new List<string>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                lines.Add(reader.GetString(0));
            }
            return [.. lines];
        }
    }

    [Fact]
    public async Task A_bulk_append_that_fails_part_way_stores_none_of_its_rows()
    {
        var ct = TestContext.Current.CancellationToken;
        // One series, so the batch is copied newest first: the broken row (the oldest) is encoded after about a
        // megabyte of rows has been sent.
        var rows = Enumerable.Range(1, 4_000)
            .Select(i => Transactions("partial", T0.AddMinutes(i), T0.AddMinutes(i), $"partial-{i}", i))
            .Append(Transactions("partial", T0, T0, null!, 0))
            .ToArray();

        await Assert.ThrowsAnyAsync<Exception>(() => database.Store.AppendAsync(rows, ct));

        Assert.Equal(0, await database.CountAsync("entity_id = 'partial'"));
        Assert.Equal(4_000, await database.Store.AppendAsync(rows[..^1], ct));
    }

    [Fact]
    public async Task The_same_event_for_another_view_version_or_entity_is_another_row()
    {
        var ct = TestContext.Current.CancellationToken;
        var row = Transactions("ver-1", T0, T0, "shared-event", 1);

        var inserted = await database.Store.AppendAsync([row, row with { ViewVersion = 2 }, row with { Entity = Customer("ver-2") }], ct);

        Assert.Equal(3, inserted);
    }

    [Fact]
    public async Task Values_of_every_type_round_trip_including_nulls_and_non_finite_doubles()
    {
        var ct = TestContext.Current.CancellationToken;
        var application = new LoanApplication
        {
            Amount = 1234.5678, TermMonths = 36, Price = double.PositiveInfinity, Income = 1e-7, Expenses = 0, Debt = -3,
            AgeYears = 44, Home = HomeOwnership.Parents, Job = JobType.Freelance, HasPriorDefaultRecords = false,
        };
        var values = ApplicationFeatures.Compute(application).ToDictionary();
        values["amount"] = FeatureValues.Of(double.NaN);
        var row = new FeatureRow(Application("roundtrip"), "application", 1, values, T0.AddTicks(1234567), T0.AddTicks(7654321), "rt");
        await database.Store.AppendAsync([row], ct);

        var latest = await database.Store.GetLatestRowsAsync(FeatureRegistry.ApplicationV1, cancellationToken: ct)
            .SingleAsync(stored => stored.Entity.Id == "roundtrip", ct);

        Assert.Equal(row.Normalize().EventTime, latest.EventTime);
        Assert.Equal(row.Normalize().CreatedTime, latest.CreatedTime);
        Assert.Equal(
            values.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value.Format()}/{p.Value.KindCase}"),
            latest.Values.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value.Format()}/{p.Value.KindCase}"));
    }

    [Fact]
    public async Task Latest_rows_take_the_winner_per_entity_optionally_within_a_time_range()
    {
        var ct = TestContext.Current.CancellationToken;
        await database.Store.AppendAsync(
        [
            Transactions("latest-1", T0, T0, "l1", 1),
            Transactions("latest-1", T0.AddDays(2), T0.AddDays(2), "l2", 2),
            Transactions("latest-1", T0.AddDays(2), T0.AddDays(3), "l3", 3),
            Transactions("latest-2", T0.AddDays(1), T0.AddDays(1), "l4", 4),
        ], ct);

        var all = await database.Store.GetLatestRowsAsync(FeatureRegistry.CustomerTransactionsV1, cancellationToken: ct)
            .Where(row => row.Entity.Id.StartsWith("latest-", StringComparison.Ordinal)).ToListAsync(ct);
        var early = await database.Store.GetLatestRowsAsync(FeatureRegistry.CustomerTransactionsV1, T0, T0.AddDays(1), ct)
            .Where(row => row.Entity.Id.StartsWith("latest-", StringComparison.Ordinal)).ToListAsync(ct);

        Assert.Equal(["latest-1:l3", "latest-2:l4"], all.Select(row => $"{row.Entity.Id}:{row.EventId}").Order());
        Assert.Equal(["latest-1:l1", "latest-2:l4"], early.Select(row => $"{row.Entity.Id}:{row.EventId}").Order());
    }

    [Fact]
    public async Task Migrations_run_again_change_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await database.Store.MigrateAsync(ct);
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => database.Store.MigrateAsync(ct)));

        await using var command = database.DataSource.CreateCommand("SELECT count(*) FROM feature_store.schema_migrations");
        Assert.Equal((long)OfflineStoreSchema.Migrations.All.Count, await command.ExecuteScalarAsync(ct));
    }

    [Fact]
    public async Task A_restated_row_of_an_event_with_a_later_created_time_is_kept_and_wins()
    {
        var ct = TestContext.Current.CancellationToken;
        var original = Transactions("restated", T0, T0, "restated-event", 1);
        var restated = original with { CreatedTime = T0.AddHours(1), Values = Transactions("restated", T0, T0, "restated-event", 2).Values };

        Assert.Equal(1, await database.Store.AppendAsync([original], ct));
        Assert.Equal(1, await database.Store.AppendAsync([restated, original], ct));

        var latest = await database.Store.GetLatestRowsAsync(FeatureRegistry.CustomerTransactionsV1, cancellationToken: ct)
            .SingleAsync(row => row.Entity.Id == "restated", ct);
        Assert.Equal(restated.Normalize().CreatedTime, latest.CreatedTime);
        Assert.Equal(restated.Values["txn_count_30d"], latest.Values["txn_count_30d"]);
    }
}
