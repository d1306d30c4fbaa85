using CreditRisk.Contracts.Common.V1;
using CreditRisk.FeatureStore.Tests.Support;
using CreditRisk.Testing.Redis;
using Microsoft.Extensions.Time.Testing;
using static CreditRisk.FeatureStore.Tests.Support.Rows;

namespace CreditRisk.FeatureStore.Tests;

public sealed class RedisOnlineStoreTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private readonly FakeTimeProvider _clock = new(T0.AddDays(1));

    private RedisOnlineStore Store() =>
        new(redis.Connection, new RedisOnlineStoreOptions { KeyPrefix = redis.KeyPrefix + Guid.NewGuid().ToString("N") + ":" }, _clock);

    private static readonly IReadOnlyList<ResolvedFeature> CountAndSum =
        FeatureRegistry.Resolve(FeatureSelection.Features("customer_transactions:txn_count_30d", "customer_transactions:txn_sum_30d"));

    private static async Task<long> CountOf(IOnlineStore store, string customer)
    {
        var vector = (await store.ReadAsync([new EntityRow(Customer(customer))], CountAndSum, TestContext.Current.CancellationToken)).Single();
        return vector.Features[0].Feature.Value.Int64Value;
    }

    [Fact]
    public async Task An_older_event_never_overwrites_a_newer_one()
    {
        var store = Store();
        var ct = TestContext.Current.CancellationToken;

        Assert.Equal(1, await store.WriteAsync([Transactions("C-1", T0.AddHours(2), T0.AddHours(2), "e2", count: 2)], ct));
        Assert.Equal(0, await store.WriteAsync([Transactions("C-1", T0.AddHours(1), T0.AddHours(9), "e1", count: 1)], ct));
        Assert.Equal(2, await CountOf(store, "C-1"));

        Assert.Equal(1, await store.WriteAsync([Transactions("C-1", T0.AddHours(3), T0.AddHours(3), "e3", count: 3)], ct));
        Assert.Equal(3, await CountOf(store, "C-1"));
    }

    [Fact]
    public async Task Ties_on_event_time_go_to_the_later_created_time_then_the_greater_event_id_in_any_write_order()
    {
        var rows = new[]
        {
            Transactions("C-1", T0, T0.AddMinutes(1), "b", count: 1),
            Transactions("C-1", T0, T0.AddMinutes(5), "a", count: 2),   // later created: wins over "b"
            Transactions("C-1", T0, T0.AddMinutes(5), "c", count: 3),   // same created, greater id: the winner
            Transactions("C-1", T0, T0.AddMinutes(4), "z", count: 4),
        };
        var ct = TestContext.Current.CancellationToken;
        foreach (var order in new[] { new[] { 0, 1, 2, 3 }, [3, 2, 1, 0], [2, 0, 3, 1] })
        {
            var store = Store();
            foreach (var index in order)
            {
                await store.WriteAsync([rows[index]], ct);
            }
            Assert.Equal(3, await CountOf(store, "C-1"));
        }

        // Within one batch too: the winner first, and in ascending order, where each row supersedes the one before.
        var batched = Store();
        await batched.WriteAsync([rows[2], rows[0], rows[3], rows[1]], ct);
        Assert.Equal(3, await CountOf(batched, "C-1"));
        var ascending = Store();
        Assert.Equal(3, await ascending.WriteAsync([rows[0], rows[1], rows[2], rows[3]], ct));
        Assert.Equal(3, await CountOf(ascending, "C-1"));
    }

    [Fact]
    public async Task A_write_batch_size_above_what_one_script_call_takes_is_split()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = new RedisOnlineStore(redis.Connection,
            new RedisOnlineStoreOptions { KeyPrefix = redis.KeyPrefix + Guid.NewGuid().ToString("N") + ":", WriteBatchSize = 10_000 }, _clock);
        var rows = Enumerable.Range(0, 4_500).Select(i => Transactions($"C-{i}", T0, T0, $"e{i}", i)).ToArray();

        Assert.Equal(rows.Length, await store.WriteAsync(rows, ct));
        Assert.Equal(4_499, await CountOf(store, "C-4499"));
    }

    [Fact]
    public async Task Replaying_the_same_rows_applies_nothing()
    {
        var store = Store();
        var ct = TestContext.Current.CancellationToken;
        var rows = Enumerable.Range(0, 50).Select(i => Transactions($"C-{i}", T0, T0, $"e{i}", i)).ToArray();

        Assert.Equal(50, await store.WriteAsync(rows, ct));
        Assert.Equal(0, await store.WriteAsync(rows, ct));
        Assert.Equal(49, await CountOf(store, "C-49"));
    }

    [Fact]
    public async Task Reads_report_present_not_found_and_outside_ttl_with_event_times()
    {
        var store = Store();
        var ct = TestContext.Current.CancellationToken;
        // customer_transactions has a 30-day TTL.
        await store.WriteAsync(
        [
            Transactions("fresh", T0, T0, "e1", count: 7),
            Transactions("at-ttl", T0.AddDays(-29), T0, "e2", count: 8),
            Transactions("stale", T0.AddDays(-29).AddTicks(-10), T0, "e3", count: 9),
        ], ct);
        _clock.SetUtcNow(T0.AddDays(1));
        var features = FeatureRegistry.Resolve(FeatureSelection.Features(
            "customer_transactions:txn_count_30d",
            "customer_transactions:txn_max_90d",        // not in the stored vector
            "customer_transactions:txn_mean_30d",       // stored as null
            "application:amount"));                     // no application key in the row

        var vectors = await store.ReadAsync(
            [new EntityRow(Customer("fresh")), new EntityRow(Customer("at-ttl")), new EntityRow(Customer("stale")), new EntityRow(Customer("missing"))],
            features, ct);

        var fresh = vectors[0].Features;
        Assert.Equal("customer_transactions:txn_count_30d", fresh[0].Feature.Name);
        Assert.Equal(FeatureStatus.Present, fresh[0].Status);
        Assert.Equal(7, fresh[0].Feature.Value.Int64Value);
        Assert.Equal(T0, fresh[0].Feature.EventTime.ToDateTimeOffset());
        Assert.Equal(FeatureStatus.NotFound, fresh[1].Status);
        Assert.Equal(FeatureStatus.Present, fresh[2].Status);
        Assert.True(fresh[2].Feature.Value.IsNull());
        Assert.Equal(FeatureStatus.NotFound, fresh[3].Status);

        Assert.Equal(FeatureStatus.Present, vectors[1].Features[0].Status);       // exactly TTL old: still valid
        Assert.Equal(FeatureStatus.OutsideTtl, vectors[2].Features[0].Status);    // 1 µs older
        Assert.Equal(9, vectors[2].Features[0].Feature.Value.Int64Value);
        Assert.All(vectors[3].Features, feature => Assert.Equal(FeatureStatus.NotFound, feature.Status));
        Assert.All(vectors[3].Features, feature => Assert.True(feature.Feature.Value.IsNull()));
    }

    [Fact]
    public async Task A_row_with_several_entity_keys_reads_each_view_with_its_own_key()
    {
        var store = Store();
        var ct = TestContext.Current.CancellationToken;
        var application = new LoanApplication { Amount = 1200, TermMonths = 12, Price = 1500, Income = 100, Expenses = 20 };
        await store.WriteAsync(
        [
            Transactions("C-1", T0, T0, "t", count: 5),
            new FeatureRow(Application("A-1"), "application", 1, ApplicationFeatures.Compute(application), T0, T0, "a"),
        ], ct);

        var vector = (await store.ReadAsync([new EntityRow(Customer("C-1"), Application("A-1"))],
            FeatureSelection.Features("application:payment_to_income", "customer_transactions:txn_count_30d", "application:home"), ct)).Single();

        Assert.Equal(1200.0 / 12 / 100, vector.Features[0].Feature.Value.DoubleValue, 12);
        Assert.Equal(5, vector.Features[1].Feature.Value.Int64Value);
        Assert.Equal(FeatureStatus.Present, vector.Features[2].Status);
        Assert.True(vector.Features[2].Feature.Value.IsNull());
    }

    [Fact]
    public async Task A_feature_requested_twice_is_served_twice()
    {
        var store = Store();
        var ct = TestContext.Current.CancellationToken;
        await store.WriteAsync([Transactions("C-1", T0, T0, "e", count: 6)], ct);

        var vector = (await store.ReadAsync([new EntityRow(Customer("C-1"))],
            FeatureSelection.Features("customer_transactions:txn_count_30d", "customer_transactions:txn_sum_30d", "customer_transactions@1:txn_count_30d"), ct)).Single();

        Assert.Equal([6L, 6L], new[] { vector.Features[0], vector.Features[2] }.Select(served => served.Feature.Value.Int64Value));
        Assert.Equal(63, vector.Features[1].Feature.Value.DoubleValue);
    }

    [Fact]
    public async Task The_stored_row_round_trips()
    {
        var store = Store();
        var ct = TestContext.Current.CancellationToken;
        var row = Transactions("C-1", T0.AddTicks(12_345_670), T0.AddDays(1), "evt-1", count: 3, sum: -1.25);
        await store.WriteAsync([row], ct);

        var stored = await store.GetRowAsync(Customer("C-1"), FeatureRegistry.CustomerTransactionsV1, ct);

        Assert.NotNull(stored);
        Assert.Equal(row.EventTime, stored.EventTime);
        Assert.Equal(row.CreatedTime, stored.CreatedTime);
        Assert.Equal("evt-1", stored.EventId);
        Assert.Equal(row.Values.ToDictionary(p => p.Key, p => p.Value.Format()), stored.Values.ToDictionary(p => p.Key, p => p.Value.Format()));
        Assert.Null(await store.GetRowAsync(Customer("nobody"), FeatureRegistry.CustomerTransactionsV1, ct));
    }

    [Fact]
    public async Task With_expiry_keys_expire_the_grace_after_the_views_ttl_and_older_events_still_never_overwrite()
    {
        var prefix = redis.KeyPrefix + Guid.NewGuid().ToString("N") + ":";
        var grace = TimeSpan.FromHours(1);
        var store = new RedisOnlineStore(redis.Connection, new RedisOnlineStoreOptions { KeyPrefix = prefix, ExpireAfterTtl = grace }, _clock);
        var ct = TestContext.Current.CancellationToken;
        // Redis expires by its own clock: the rows are recent so their keys are still there.
        var now = FeatureTime.Truncate(DateTimeOffset.UtcNow);
        var application = new FeatureRow(Application("A-1"), "application", 1,
            new Dictionary<string, FeatureValue> { ["amount"] = FeatureValues.Of(1200.0) }, now, now, "app-1");

        Assert.Equal(2, await store.WriteAsync([Transactions("C-1", now, now, "e2", count: 2), application], ct));
        Assert.Equal(0, await store.WriteAsync([Transactions("C-1", now.AddHours(-1), now, "e1", count: 1)], ct));
        Assert.Equal(2, await CountOf(store, "C-1"));

        var expiresIn = await redis.Database.KeyTimeToLiveAsync($"{prefix}vec:customer_transactions@1:customer:C-1");
        var expected = now + FeatureRegistry.CustomerTransactionsV1.Ttl!.Value + grace - DateTimeOffset.UtcNow;
        Assert.NotNull(expiresIn);
        Assert.InRange(expiresIn.Value, expected - TimeSpan.FromMinutes(1), expected + TimeSpan.FromSeconds(1));
        // The application view has no TTL: its key never expires.
        Assert.True(await redis.Database.KeyExistsAsync($"{prefix}vec:application@1:application:A-1"));
        Assert.Null(await redis.Database.KeyTimeToLiveAsync($"{prefix}vec:application@1:application:A-1"));
    }
}
