using CreditRisk.Contracts.Common.V1;
using CreditRisk.FeatureStore.Tests.Support;
using static CreditRisk.FeatureStore.Tests.Support.Rows;

namespace CreditRisk.FeatureStore.Tests;

/// <summary>
/// Feast's point-in-time semantics, case by case, over one fixed history (customer_transactions has a 30-day TTL;
/// the application view has none).
/// </summary>
public sealed class PointInTimeTests(PointInTimeTests.History history) : IClassFixture<PointInTimeTests.History>
{
    public sealed class History : OfflineStoreDatabase
    {
        public override async ValueTask InitializeAsync()
        {
            await base.InitializeAsync();
            await Store.AppendAsync(
            [
                Transactions("C-1", T0, T0.AddHours(1), "r1", count: 1),
                Transactions("C-1", T0.AddDays(10), T0.AddDays(10), "r2b", count: 2),
                // Same event_ts as r2b, created later, smaller event id: only the created_ts order makes it win.
                Transactions("C-1", T0.AddDays(10), T0.AddDays(12), "r2a", count: 3),
                Transactions("C-1", T0.AddDays(20), T0.AddDays(20), "r4b", count: 4),    // same event_ts and created_ts as r4a
                Transactions("C-1", T0.AddDays(20), T0.AddDays(20), "r4a", count: 5),
                Transactions("C-1", T0.AddDays(25), T0.AddDays(60), "r6", count: 6),     // backfilled 35 days after the fact
                Transactions("C-2", T0, T0, "edge", count: 10),
                new FeatureRow(Application("A-1"), "application", 1,
                    new Dictionary<string, FeatureValue> { ["amount"] = FeatureValues.Of(900.0) }, T0, T0, "app"),
            ]);
        }
    }

    private static readonly TimeSpan Micro = TimeSpan.FromTicks(10);

    // (case, entity id, T relative to T0, exclude backfilled, expected txn_count_30d or null)
    public static TheoryData<string, string, TimeSpan, bool, long?> Cases => new()
    {
        { "before the first event: no candidate", "C-1", -Micro, false, null },
        { "event_ts == T is a candidate (inclusive)", "C-1", TimeSpan.Zero, false, 1 },
        { "the latest event_ts at or before T wins", "C-1", TimeSpan.FromDays(5), false, 1 },
        { "tie on event_ts: the later created_ts wins", "C-1", TimeSpan.FromDays(10), false, 3 },
        { "tie on event_ts, later one not yet created: excluded with the leakage option", "C-1", TimeSpan.FromDays(11), true, 2 },
        { "tie on event_ts and created_ts: the greater event id wins (deterministic)", "C-1", TimeSpan.FromDays(21), false, 4 },
        { "a backfilled row is used without the option", "C-1", TimeSpan.FromDays(30), false, 6 },
        { "a backfilled row is not used with the option", "C-1", TimeSpan.FromDays(30), true, 4 },
        { "created after T: no candidate with the option", "C-1", TimeSpan.Zero, true, null },
        { "TTL edge: event_ts == T - ttl is a candidate", "C-2", TimeSpan.FromDays(30), false, 10 },
        { "TTL edge: 1 µs beyond the TTL is not", "C-2", TimeSpan.FromDays(30) + Micro, false, null },
        { "the TTL hides the newest row once T is more than ttl after it", "C-1", TimeSpan.FromDays(55) + Micro, false, null },
        { "missing entity: nulls, row kept", "C-404", TimeSpan.FromDays(5), false, null },
    };

    private static readonly IReadOnlyList<ResolvedFeature> Features = FeatureRegistry.Resolve(FeatureSelection.Features(
        "customer_transactions:txn_count_30d", "customer_transactions:txn_sum_30d", "application:amount"));

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Point_in_time_case(string description, string customer, TimeSpan offset, bool excludeBackfilled, long? expected)
    {
        var row = new HistoricalEntityRow(new EntityRow(Customer(customer)), T0 + offset, "row-1");

        var result = await history.Store.GetHistoricalFeaturesAsync(
                [row], Features, new HistoricalRetrievalOptions { ExcludeBackfilled = excludeBackfilled }, TestContext.Current.CancellationToken)
            .ToListAsync(TestContext.Current.CancellationToken);

        var answered = Assert.Single(result);
        Assert.Equal("row-1", answered.EntityRow.RowId);
        Assert.Equal(T0 + offset, answered.EntityRow.Timestamp);
        var count = answered.Features[0];
        Assert.Equal("customer_transactions:txn_count_30d", count.Name);
        if (expected is null)
        {
            Assert.True(count.Value.IsNull(), $"{description}: expected null, got {count.Value.Format()}");
            Assert.Null(count.EventTime);
            Assert.True(answered.Features[1].Value.IsNull());
        }
        else
        {
            Assert.True(expected == count.Value.Int64Value, $"{description}: expected {expected}, got {count.Value.Format()}");
            Assert.Equal(count.Value.Int64Value * 10.5, answered.Features[1].Value.DoubleValue);
            Assert.NotNull(count.EventTime);
        }
        Assert.True(answered.Features[2].Value.IsNull(), "no application key in the row: the application feature is null");
    }

    [Fact]
    public async Task All_rows_come_back_in_request_order_duplicates_included_with_each_view_on_its_own_key()
    {
        var rows = new[]
        {
            new HistoricalEntityRow(new EntityRow(Customer("C-1"), Application("A-1")), T0.AddDays(5), "x"),
            new HistoricalEntityRow(new EntityRow(Customer("C-404")), T0.AddDays(5), "missing"),
            new HistoricalEntityRow(new EntityRow(Customer("C-1"), Application("A-1")), T0.AddDays(5), "x"),   // exact duplicate
            new HistoricalEntityRow(new EntityRow(Customer("C-1"), Application("A-1")), T0.AddDays(400), "late"),
            new HistoricalEntityRow(new EntityRow(Application("A-1")), T0.AddDays(-1), "before"),
        };

        var result = await history.Store.GetHistoricalFeaturesAsync(rows, Features, cancellationToken: TestContext.Current.CancellationToken)
            .ToListAsync(TestContext.Current.CancellationToken);

        Assert.Equal(["x", "missing", "x", "late", "before"], result.Select(row => row.EntityRow.RowId));
        Assert.Equal([0L, 1, 2, 3, 4], result.Select(row => row.RowNumber));
        Assert.Equal(1, result[0].Features[0].Value.Int64Value);
        Assert.Equal(900, result[0].Features[2].Value.DoubleValue);
        Assert.Equal(result[0].Features.Select(f => f.ToString()), result[2].Features.Select(f => f.ToString()));
        Assert.All(result[1].Features, feature => Assert.True(feature.Value.IsNull()));
        Assert.True(result[3].Features[0].Value.IsNull());                 // customer value beyond its TTL
        Assert.Equal(900, result[3].Features[2].Value.DoubleValue);        // the application view has no TTL
        Assert.True(result[4].Features[2].Value.IsNull());                 // before the application existed
        Assert.Equal([Customer("C-1"), Application("A-1")], result[0].EntityRow.Entities.Keys);
    }

    [Fact]
    public async Task No_entity_rows_give_no_result()
    {
        var result = await history.Store.GetHistoricalFeaturesAsync([], Features, cancellationToken: TestContext.Current.CancellationToken)
            .ToListAsync(TestContext.Current.CancellationToken);

        Assert.Empty(result);
    }
}
