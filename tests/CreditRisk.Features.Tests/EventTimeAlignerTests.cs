using Confluent.Kafka;
using CreditRisk.Features.Processing;
using CreditRisk.Features.Tests.Support;
using Google.Protobuf;
using Microsoft.Extensions.Time.Testing;

namespace CreditRisk.Features.Tests;

/// <summary>The input alignment on its own: which consumed records it releases, and when.</summary>
public sealed class EventTimeAlignerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TopicPartition Transactions = new("transactions", 0);
    private static readonly TopicPartition Repayments = new("repayments", 0);

    private static ConsumeResult<byte[]?, byte[]?> Record(TopicPartition partition, long offset, DateTimeOffset eventTime) => new()
    {
        TopicPartitionOffset = new TopicPartitionOffset(partition, offset),
        Message = new Message<byte[]?, byte[]?> { Value = RawEvents.Transaction("C-1", eventTime, 1).ToByteArray() },
    };

    [Fact]
    public void A_partition_read_ahead_waits_for_one_that_may_still_send_older_events_and_records_come_out_in_event_time_order()
    {
        var clock = new FakeTimeProvider(T0);
        var aligner = new EventTimeAligner(TimeSpan.FromHours(12), TimeSpan.FromSeconds(5), maxBatch: 100, clock);
        aligner.Assigned([Transactions, Repayments]);
        // Transactions read 10 days ahead; repayments has sent one event at day 0 and may send more.
        for (var day = 0; day < 10; day++)
        {
            aligner.Add(Record(Transactions, day, T0.AddDays(day)));
        }
        aligner.Add(Record(Repayments, 0, T0.AddHours(1)));

        var batch = new List<ConsumeResult<byte[]?, byte[]?>>();
        aligner.Release(batch);

        // Day 0 transaction, then the repayment, then nothing more than 12 h past the repayment's last event.
        Assert.Equal([(Transactions, 0L), (Repayments, 0L)], batch.Select(record => (record.TopicPartition, record.Offset.Value)));

        // More repayments arrive: the transactions flow again, interleaved by event time.
        aligner.Add(Record(Repayments, 1, T0.AddDays(1).AddHours(6)));
        batch.Clear();
        aligner.Release(batch);
        Assert.Equal([(Transactions, 1L), (Repayments, 1L)], batch.Select(record => (record.TopicPartition, record.Offset.Value)));
    }

    [Fact]
    public void Records_of_a_partition_assigned_again_are_held_for_the_new_assignment_not_the_one_removed()
    {
        var aligner = new EventTimeAligner(TimeSpan.FromHours(12), TimeSpan.FromSeconds(5), maxBatch: 100, new FakeTimeProvider(T0));
        aligner.Assigned([Transactions, Repayments]);
        aligner.Add(Record(Transactions, 0, T0));
        aligner.Add(Record(Transactions, 1, T0.AddHours(1)));

        // Revoked and assigned back (a rebalance): what was held is dropped, and the same partition's next records
        // (another TopicPartition object, equal to the first) belong to the new assignment.
        aligner.Removed([Transactions]);
        aligner.Assigned([new TopicPartition(Transactions.Topic, Transactions.Partition)]);
        aligner.Add(Record(Transactions, 0, T0));
        aligner.ReachedEnd(Repayments);

        Assert.Equal(1, aligner.Held);
        var batch = new List<ConsumeResult<byte[]?, byte[]?>>();
        aligner.Release(batch);
        Assert.Equal([(Transactions, 0L)], batch.Select(record => (record.TopicPartition, record.Offset.Value)));
    }

    [Fact]
    public void A_silent_partition_stops_holding_the_others_back_after_the_idle_time()
    {
        var clock = new FakeTimeProvider(T0);
        var aligner = new EventTimeAligner(TimeSpan.FromHours(12), TimeSpan.FromSeconds(5), maxBatch: 100, clock);
        aligner.Assigned([Transactions, Repayments]);
        aligner.Add(Record(Transactions, 0, T0));
        aligner.Add(Record(Transactions, 1, T0.AddDays(3)));

        var batch = new List<ConsumeResult<byte[]?, byte[]?>>();
        aligner.Release(batch);
        Assert.Empty(batch);   // repayments was never read: it may hold anything

        clock.SetUtcNow(T0.AddSeconds(6));
        aligner.Release(batch);
        Assert.Equal([0L, 1L], batch.Select(record => record.Offset.Value));
    }

    [Fact]
    public void A_partition_at_its_end_holds_nobody_back()
    {
        var aligner = new EventTimeAligner(TimeSpan.FromHours(12), TimeSpan.FromSeconds(5), maxBatch: 100, new FakeTimeProvider(T0));
        aligner.Assigned([Transactions, Repayments]);
        aligner.ReachedEnd(Repayments);
        aligner.Add(Record(Transactions, 0, T0));
        aligner.Add(Record(Transactions, 1, T0.AddDays(3)));

        var batch = new List<ConsumeResult<byte[]?, byte[]?>>();
        aligner.Release(batch);

        Assert.Equal(2, batch.Count);
    }

    [Fact]
    public void A_partition_running_ahead_is_paused_once_it_holds_a_few_records_and_resumed_when_they_can_be_released()
    {
        var aligner = new EventTimeAligner(TimeSpan.FromHours(12), TimeSpan.FromSeconds(5), maxBatch: 1_000, new FakeTimeProvider(T0));
        aligner.Assigned([Transactions, Repayments]);
        // Repayments read ten days ahead; transactions have sent one event at day 0.
        aligner.Add(Record(Transactions, 0, T0));
        for (var i = 0; i < aligner.AheadLimit; i++)
        {
            aligner.Add(Record(Repayments, i, T0.AddDays(10).AddMinutes(i)));
        }
        var batch = new List<ConsumeResult<byte[]?, byte[]?>>();
        aligner.Release(batch);

        var (pause, resume) = aligner.BackPressure();

        Assert.Single(batch);
        Assert.Equal([Repayments], pause);   // far below a full batch, but none of it can go yet
        Assert.Empty(resume);

        // Transactions catch up past day 10: the repayments can be released, so their partition may fetch again.
        aligner.Add(Record(Transactions, 1, T0.AddDays(10).AddHours(12)));
        batch.Clear();
        aligner.Release(batch);
        (pause, resume) = aligner.BackPressure();

        Assert.Equal(aligner.AheadLimit + 1, batch.Count);
        Assert.Empty(pause);
        Assert.Equal([Repayments], resume);
    }

    [Fact]
    public void A_lagging_partition_is_not_paused_below_a_full_batch_and_a_full_batch_pauses_any_partition()
    {
        var aligner = new EventTimeAligner(TimeSpan.FromHours(12), TimeSpan.FromSeconds(5), maxBatch: 100, new FakeTimeProvider(T0));
        aligner.Assigned([Transactions, Repayments]);
        // Repayments has never sent anything: it holds everything back, so transactions' records wait within reach.
        for (var i = 0; i < 99; i++)
        {
            aligner.Add(Record(Transactions, i, T0));
        }
        aligner.Release(new List<ConsumeResult<byte[]?, byte[]?>>());
        Assert.Equal([Transactions], aligner.BackPressure().Pause);   // ahead of a partition not yet heard from

        var lagging = new EventTimeAligner(TimeSpan.FromHours(12), TimeSpan.FromSeconds(5), maxBatch: 100, new FakeTimeProvider(T0));
        lagging.Assigned([Transactions, Repayments]);
        lagging.Add(Record(Repayments, 0, T0.AddHours(1)));
        for (var i = 0; i < 99; i++)
        {
            lagging.Add(Record(Transactions, i, T0));
        }
        // A batch already full releases nothing more, but tells the alignment where the release bound is.
        lagging.Release(Enumerable.Range(0, 100).Select(i => Record(Transactions, -1, T0)).ToList());
        Assert.Empty(lagging.BackPressure().Pause);   // all it holds can be released: it is the one to read on
        lagging.Add(Record(Transactions, 99, T0));
        Assert.Equal([Transactions], lagging.BackPressure().Pause);   // a full batch
    }
}
