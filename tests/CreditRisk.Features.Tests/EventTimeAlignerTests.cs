using Confluent.Kafka;
using CreditRisk.Features.Processing;
using CreditRisk.Features.Tests.Support;
using Google.Protobuf;

namespace CreditRisk.Features.Tests;

/// <summary>The input alignment on its own: which consumed records it releases, and when.</summary>
public sealed class EventTimeAlignerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TopicPartition Transactions = new("transactions", 0);
    private static readonly TopicPartition Repayments = new("repayments", 0);

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static ConsumeResult<byte[]?, byte[]?> Record(TopicPartition partition, long offset, DateTimeOffset eventTime) => new()
    {
        TopicPartitionOffset = new TopicPartitionOffset(partition, offset),
        Message = new Message<byte[]?, byte[]?> { Value = RawEvents.Transaction("C-1", eventTime, 1).ToByteArray() },
    };

    [Fact]
    public void A_partition_read_ahead_waits_for_one_that_may_still_send_older_events_and_records_come_out_in_event_time_order()
    {
        var clock = new ManualClock(T0);
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
    public void A_silent_partition_stops_holding_the_others_back_after_the_idle_time()
    {
        var clock = new ManualClock(T0);
        var aligner = new EventTimeAligner(TimeSpan.FromHours(12), TimeSpan.FromSeconds(5), maxBatch: 100, clock);
        aligner.Assigned([Transactions, Repayments]);
        aligner.Add(Record(Transactions, 0, T0));
        aligner.Add(Record(Transactions, 1, T0.AddDays(3)));

        var batch = new List<ConsumeResult<byte[]?, byte[]?>>();
        aligner.Release(batch);
        Assert.Empty(batch);   // repayments was never read: it may hold anything

        clock.Now = T0.AddSeconds(6);
        aligner.Release(batch);
        Assert.Equal([0L, 1L], batch.Select(record => record.Offset.Value));
    }

    [Fact]
    public void A_partition_at_its_end_holds_nobody_back()
    {
        var aligner = new EventTimeAligner(TimeSpan.FromHours(12), TimeSpan.FromSeconds(5), maxBatch: 100, new ManualClock(T0));
        aligner.Assigned([Transactions, Repayments]);
        aligner.ReachedEnd(Repayments);
        aligner.Add(Record(Transactions, 0, T0));
        aligner.Add(Record(Transactions, 1, T0.AddDays(3)));

        var batch = new List<ConsumeResult<byte[]?, byte[]?>>();
        aligner.Release(batch);

        Assert.Equal(2, batch.Count);
    }
}
