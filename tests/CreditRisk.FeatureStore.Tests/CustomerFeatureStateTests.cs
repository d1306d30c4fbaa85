using CreditRisk.Contracts.Common.V1;
using static CreditRisk.FeatureStore.Tests.Support.Rows;

namespace CreditRisk.FeatureStore.Tests;

public sealed class CustomerFeatureStateTests
{
    private static readonly FeatureView Transactions = FeatureRegistry.CustomerTransactionsV1;
    private static readonly FeatureView Repayments = FeatureRegistry.CustomerRepaymentsV1;
    private static readonly FeatureView Applications = FeatureRegistry.CustomerApplicationsV1;

    private static CustomerEvent Txn(DateTimeOffset time, double amount, string id) => new(SourceEvent.TransactionRecorded, time, amount, id);

    private static CustomerEvent Repayment(DateTimeOffset time, int daysPastDue, string id) => new(SourceEvent.RepaymentRecorded, time, daysPastDue, id);

    [Fact]
    public void Transaction_windows_count_sum_mean_and_max_over_30_and_90_days()
    {
        var state = new CustomerFeatureState("C-1");
        Assert.Equal(ApplyOutcome.Accepted, state.Apply(Txn(T0, 100, "t1")));
        Assert.Equal(ApplyOutcome.Accepted, state.Apply(Txn(T0.AddDays(50), -40, "t2")));
        Assert.Equal(ApplyOutcome.Accepted, state.Apply(Txn(T0.AddDays(80), 10, "t3")));
        Assert.Equal(ApplyOutcome.Accepted, state.Apply(Txn(T0.AddDays(85), 30, "t4")));

        var values = state.Compute(Transactions, T0.AddDays(85));

        Assert.Equal(2, values["txn_count_30d"].Int64Value);          // t3, t4
        Assert.Equal(40, values["txn_sum_30d"].DoubleValue);
        Assert.Equal(20, values["txn_mean_30d"].DoubleValue);
        Assert.Equal(30, values["txn_max_30d"].DoubleValue);
        Assert.Equal(4, values["txn_count_90d"].Int64Value);
        Assert.Equal(100, values["txn_sum_90d"].DoubleValue);
        Assert.Equal(25, values["txn_mean_90d"].DoubleValue);
        Assert.Equal(100, values["txn_max_90d"].DoubleValue);
    }

    [Fact]
    public void A_window_is_half_open_an_event_exactly_one_window_old_has_left_it()
    {
        var state = new CustomerFeatureState("C-1");
        state.Apply(Txn(T0, 5, "edge"));

        var at30 = state.Compute(Transactions, T0.AddDays(30));
        var justBefore30 = state.Compute(Transactions, T0.AddDays(30).AddTicks(-10));
        var at90 = state.Compute(Transactions, T0.AddDays(90));
        var justBefore90 = state.Compute(Transactions, T0.AddDays(90).AddTicks(-10));
        var before = state.Compute(Transactions, T0.AddTicks(-10));

        Assert.Equal(0, at30["txn_count_30d"].Int64Value);
        Assert.Equal(1, justBefore30["txn_count_30d"].Int64Value);
        Assert.Equal(1, at30["txn_count_90d"].Int64Value);
        Assert.Equal(0, at90["txn_count_90d"].Int64Value);
        Assert.Equal(1, justBefore90["txn_count_90d"].Int64Value);
        Assert.Equal(0, before["txn_count_30d"].Int64Value);            // the future is not counted
        Assert.True(at30["txn_mean_30d"].IsNull());                      // empty window: mean and max are null, count and sum 0
        Assert.True(at30["txn_max_30d"].IsNull());
        Assert.Equal(0, at30["txn_sum_30d"].DoubleValue);
    }

    [Fact]
    public void Repayment_features_count_late_payments_max_days_past_due_on_time_ratio_and_days_since_delinquency()
    {
        var state = new CustomerFeatureState("C-1");
        state.Apply(Repayment(T0, 12, "r1"));
        state.Apply(Repayment(T0.AddDays(40), 0, "r2"));
        state.Apply(Repayment(T0.AddDays(70), 3, "r3"));
        state.Apply(Repayment(T0.AddDays(75), 0, "r4"));

        var values = state.Compute(Repayments, T0.AddDays(80));

        Assert.Equal(1, values["late_payments_30d"].Int64Value);        // r3
        Assert.Equal(2, values["late_payments_90d"].Int64Value);        // r1, r3
        Assert.Equal(12, values["max_days_past_due_90d"].Int64Value);
        Assert.Equal(0.5, values["on_time_ratio_90d"].DoubleValue);
        Assert.Equal(10, values["days_since_last_delinquency"].Int64Value);

        var never = new CustomerFeatureState("C-2");
        never.Apply(Repayment(T0, 0, "ok"));
        Assert.True(never.Compute(Repayments, T0)["days_since_last_delinquency"].IsNull());
        Assert.Equal(1.0, never.Compute(Repayments, T0)["on_time_ratio_90d"].DoubleValue);
    }

    [Fact]
    public void Days_since_last_delinquency_survives_eviction_of_the_event()
    {
        var state = new CustomerFeatureState("C-1", allowedLateness: TimeSpan.FromDays(1));
        state.Apply(Repayment(T0, 30, "late"));
        state.Apply(Repayment(T0.AddDays(200), 0, "on-time"));   // evicts "late" (older than 90 d + 1 d)

        Assert.Equal(1, state.EventCount);
        Assert.Equal(200, state.Compute(Repayments, T0.AddDays(200))["days_since_last_delinquency"].Int64Value);
        Assert.Equal(0, state.Compute(Repayments, T0.AddDays(200))["late_payments_90d"].Int64Value);
    }

    [Fact]
    public void Application_velocity_counts_applications_in_the_last_30_days()
    {
        var state = new CustomerFeatureState("C-1");
        state.Apply(new CustomerEvent(SourceEvent.LoanApplicationSubmitted, T0, 1000, "a1"));
        state.Apply(new CustomerEvent(SourceEvent.LoanApplicationSubmitted, T0.AddDays(20), 500, "a2"));
        state.Apply(new CustomerEvent(SourceEvent.LoanApplicationSubmitted, T0.AddDays(31), 700, "a3"));

        Assert.Equal(2, state.Compute(Applications, T0.AddDays(31))["applications_30d"].Int64Value);
        Assert.Equal(2, state.Compute(Applications, T0.AddDays(20))["applications_30d"].Int64Value);
    }

    [Fact]
    public void A_late_event_within_the_lateness_updates_the_window_and_beyond_it_is_refused()
    {
        var state = new CustomerFeatureState("C-1", allowedLateness: TimeSpan.FromHours(6));
        state.Apply(Txn(T0.AddDays(10), 1, "now"));

        Assert.Equal(ApplyOutcome.Accepted, state.Apply(Txn(T0.AddDays(10).AddHours(-6), 2, "late-at-the-edge")));
        Assert.Equal(ApplyOutcome.TooLate, state.Apply(Txn(T0.AddDays(10).AddHours(-6).AddTicks(-10), 4, "too-late")));
        Assert.Equal(ApplyOutcome.Duplicate, state.Apply(Txn(T0.AddDays(10), 1, "now")));

        var values = state.ComputeLatest(Transactions);
        Assert.Equal(2, values["txn_count_30d"].Int64Value);
        Assert.Equal(3, values["txn_sum_30d"].DoubleValue);
        Assert.Equal(T0.AddDays(10), state.Watermark);
    }

    [Fact]
    public void A_replayed_event_after_eviction_is_too_late_never_counted_twice()
    {
        var state = new CustomerFeatureState("C-1", allowedLateness: TimeSpan.Zero);
        state.Apply(Txn(T0, 1, "old"));
        state.Apply(Txn(T0.AddDays(120), 1, "new"));

        Assert.Equal(ApplyOutcome.TooLate, state.Apply(Txn(T0, 1, "old")));
        Assert.Equal(1, state.ComputeLatest(Transactions)["txn_count_90d"].Int64Value);
    }

    [Fact]
    public void The_same_events_in_another_order_within_the_lateness_give_the_same_values_and_bytes()
    {
        var random = new Random(7);
        var events = Enumerable.Range(0, 300)
            .Select(i => Txn(T0.AddMinutes(i * 37), Math.Round(random.NextDouble() * 200 - 100, 2), $"e{i:D4}"))
            .ToList();
        var inOrder = new CustomerFeatureState("C-1", allowedLateness: TimeSpan.FromDays(400));
        var shuffled = new CustomerFeatureState("C-1", allowedLateness: TimeSpan.FromDays(400));
        events.ForEach(e => inOrder.Apply(e));
        events.OrderBy(_ => random.Next()).ToList().ForEach(e => shuffled.Apply(e));

        Assert.Equal(inOrder.ToBytes(), shuffled.ToBytes());
        Assert.Equal(
            inOrder.ComputeLatest(Transactions).ToDictionary(pair => pair.Key, pair => pair.Value.Format()),
            shuffled.ComputeLatest(Transactions).ToDictionary(pair => pair.Key, pair => pair.Value.Format()));
    }

    [Fact]
    public void A_snapshot_restores_the_same_state_and_keeps_deduplicating()
    {
        var state = new CustomerFeatureState("C-9", allowedLateness: TimeSpan.FromHours(2));
        state.Apply(Txn(T0, 10, "t1"));
        state.Apply(Repayment(T0.AddHours(1), 4, "r1"));
        state.Apply(new CustomerEvent(SourceEvent.LoanApplicationSubmitted, T0.AddHours(2), 900, "a1"));

        var restored = CustomerFeatureState.FromBytes(state.ToBytes());

        Assert.Equal("C-9", restored.CustomerId);
        Assert.Equal(TimeSpan.FromHours(2), restored.AllowedLateness);
        Assert.Equal(state.Watermark, restored.Watermark);
        Assert.Equal(state.ToBytes(), restored.ToBytes());
        foreach (var view in FeatureRegistry.StreamingViews)
        {
            Assert.Equal(
                state.ComputeLatest(view).ToDictionary(pair => pair.Key, pair => pair.Value.Format()),
                restored.ComputeLatest(view).ToDictionary(pair => pair.Key, pair => pair.Value.Format()));
        }
        Assert.Equal(ApplyOutcome.Duplicate, restored.Apply(Txn(T0, 10, "t1")));
        Assert.Throws<FormatException>(() => CustomerFeatureState.FromBytes([1, 2, 3, 4]));
    }

    [Fact]
    public void Uuid_event_ids_are_stored_in_16_bytes_and_every_other_id_as_it_is()
    {
        var uuid = Guid.CreateVersion7().ToString("D");
        var ids = new[] { uuid, uuid.ToUpperInvariant().Replace('0', '1'), "{" + Guid.NewGuid() + "}", "t-ü-1", Guid.NewGuid().ToString("N") };
        var state = new CustomerFeatureState("C-ü");
        for (var i = 0; i < ids.Length; i++)
        {
            state.Apply(Txn(T0.AddMinutes(i), i, ids[i]));
        }

        var restored = CustomerFeatureState.FromBytes(state.ToBytes());

        Assert.All(ids, id => Assert.Equal(ApplyOutcome.Duplicate, restored.Apply(Txn(T0, 1, id))));
        Assert.Equal(state.ToBytes(), restored.ToBytes());
        var withTextIds = new CustomerFeatureState("C-ü");
        withTextIds.Apply(Txn(T0, 0, "x".PadRight(36, 'x')));
        var withUuid = new CustomerFeatureState("C-ü");
        withUuid.Apply(Txn(T0, 0, uuid));
        Assert.Equal(withTextIds.ToBytes().Length - (2 + 36 - 16), withUuid.ToBytes().Length);   // a length and 36 characters, or 16 bytes
        Assert.Throws<FormatException>(() => CustomerFeatureState.FromBytes(state.ToBytes()[..^1]));
    }

    [Fact]
    public void A_snapshot_in_the_first_format_still_restores()
    {
        var longId = "t2-" + new string('é', 150);
        // Format 1, as checkpoints stored before format 2 hold it: BinaryWriter fields, ids as strings.
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write("CFS"u8);
            writer.Write((byte)1);
            writer.Write("C-1");
            writer.Write(TimeSpan.FromHours(3).Ticks);
            writer.Write(CustomerFeatureState.DefaultRetention.Ticks);
            writer.Write(FeatureTime.ToUnixMicroseconds(T0.AddDays(1)));
            writer.Write(long.MinValue);
            writer.Write(long.MinValue);
            writer.Write(long.MinValue);
            writer.Write(0);                                            // applications
            writer.Write(2);                                            // transactions
            writer.Write(FeatureTime.ToUnixMicroseconds(T0));
            writer.Write(10.5);
            writer.Write("t1");
            writer.Write(FeatureTime.ToUnixMicroseconds(T0.AddDays(1)));
            writer.Write(-2.0);
            writer.Write(longId);                                       // a length of two 7-bit bytes
            writer.Write(0);                                            // repayments
        }

        var restored = CustomerFeatureState.FromBytes(stream.ToArray());
        var expected = new CustomerFeatureState("C-1", TimeSpan.FromHours(3));
        expected.Apply(Txn(T0, 10.5, "t1"));
        expected.Apply(Txn(T0.AddDays(1), -2, longId));

        Assert.Equal(expected.ToBytes(), restored.ToBytes());
        Assert.Equal(ApplyOutcome.Duplicate, restored.Apply(Txn(T0, 10.5, longId)));
    }

    [Fact]
    public void Raw_events_map_to_their_measure()
    {
        var transaction = new CreditRisk.Contracts.Events.V1.TransactionRecorded
        {
            Envelope = CreditRisk.Contracts.Events.V1.EventEnvelopeFactory.Create("C-1", T0, "test"),
            CustomerId = "C-1",
            Amount = -42.5,
        };
        var repayment = new CreditRisk.Contracts.Events.V1.RepaymentRecorded
        {
            Envelope = CreditRisk.Contracts.Events.V1.EventEnvelopeFactory.Create("C-1", T0, "test"),
            CustomerId = "C-1",
            DaysPastDue = 9,
        };
        var state = new CustomerFeatureState("C-1");

        Assert.Equal(ApplyOutcome.Accepted, state.Apply(transaction));
        Assert.Equal(ApplyOutcome.Accepted, state.Apply(repayment));
        Assert.Equal(-42.5, state.ComputeLatest(Transactions)["txn_sum_30d"].DoubleValue);
        Assert.Equal(9, state.ComputeLatest(Repayments)["max_days_past_due_90d"].Int64Value);
        Assert.Throws<ArgumentException>(() => state.Compute(FeatureRegistry.ApplicationV1, T0));
    }
}
