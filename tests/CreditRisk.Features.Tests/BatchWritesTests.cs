using CreditRisk.Contracts.Common.V1;
using CreditRisk.Features.Processing;
using CreditRisk.FeatureStore;

namespace CreditRisk.Features.Tests;

public sealed class BatchWritesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly FeatureView Transactions = FeatureRegistry.CustomerTransactionsV1;
    private static readonly FeatureView Repayments = FeatureRegistry.CustomerRepaymentsV1;

    [Fact]
    public void The_online_rows_are_each_changed_customer_views_last_row_once()
    {
        var first = State("c-1");
        var second = State("c-2");
        var writes = new BatchWrites(activity: null, started: 0, records: 8);

        writes.SetLatestRow(first, Transactions, Row(first, Transactions, "t1"));
        writes.SetLatestRow(first, Repayments, Row(first, Repayments, "r1"));
        writes.SetLatestRow(second, Transactions, Row(second, Transactions, "t2"));
        writes.SetLatestRow(first, Transactions, Row(first, Transactions, "t3"));
        var online = new List<FeatureRow>();
        writes.TakeLatestRows(online);

        Assert.Equal(["c-1 customer_transactions t3", "c-1 customer_repayments r1", "c-2 customer_transactions t2"], online.Select(Describe));
        // Taken once: the next batch starts empty.
        var again = new List<FeatureRow>();
        writes.TakeLatestRows(again);
        Assert.Empty(again);
    }

    [Fact]
    public void Rows_another_batch_left_behind_are_not_this_batchs()
    {
        var state = State("c-1");
        var failed = new BatchWrites(activity: null, started: 0);
        failed.SetLatestRow(state, Transactions, Row(state, Transactions, "left"));   // applied, never taken: the batch failed

        var next = new BatchWrites(activity: null, started: 0);
        next.SetLatestRow(state, Repayments, Row(state, Repayments, "r1"));
        var online = new List<FeatureRow>();
        next.TakeLatestRows(online);

        Assert.Equal(["c-1 customer_repayments r1"], online.Select(Describe));
    }

    private static CustomerProcessingState State(string customerId) => CustomerProcessingState.New(customerId, TimeSpan.FromDays(1));

    private static FeatureRow Row(CustomerProcessingState state, FeatureView view, string eventId) =>
        new(state.Entity, view.Name, view.Version, new Dictionary<string, FeatureValue>(), T0, T0, eventId);

    private static string Describe(FeatureRow row) => $"{row.Entity.Id} {row.FeatureView} {row.EventId}";
}
