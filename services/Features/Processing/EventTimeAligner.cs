using Confluent.Kafka;

namespace CreditRisk.Features.Processing;

/// <summary>
/// Releases consumed records to processing in step by event time across all input partitions, like Kafka
/// Streams' choice of the partition with the lowest timestamp. A customer's windows are fed by three topics; a topic
/// read far ahead of the others (a backlog, a replay from the start, producer batches of thousands of records)
/// would move the customer's watermark so that the other topics' events arrive "late".
/// <para>A record is released when its event time is at most <c>frontier + maxSkew</c>, the frontier being the
/// earliest of: each partition's next held record, or — for a partition with nothing held that is not at its
/// end — the last event time released from it (unknown = it holds everything back). A partition that has
/// nothing held and stays silent longer than <c>maxIdle</c> stops holding the others back. Per partition only a
/// prefix is released, so stored offsets stay contiguous. Partitions holding a full batch are paused, so the
/// consumer fetches the lagging ones.</para>
/// </summary>
public sealed class EventTimeAligner(TimeSpan maxSkew, TimeSpan maxIdle, int maxBatch, TimeProvider clock)
{
    private readonly Dictionary<TopicPartition, PartitionState> _partitions = [];

    public int Held => _partitions.Values.Sum(partition => partition.Held.Count);

    public void Assigned(IEnumerable<TopicPartition> partitions)
    {
        foreach (var partition in partitions)
        {
            _partitions[partition] = new PartitionState(clock.GetUtcNow());
        }
    }

    /// <summary>Forgets partitions no longer owned, with their held records (the new owner re-reads them).</summary>
    public void Removed(IEnumerable<TopicPartition> partitions)
    {
        foreach (var partition in partitions)
        {
            _partitions.Remove(partition);
        }
    }

    public void ReachedEnd(TopicPartition partition)
    {
        if (_partitions.TryGetValue(partition, out var state))
        {
            state.AtEnd = true;
        }
    }

    public void Add(ConsumeResult<byte[]?, byte[]?> record)
    {
        if (!_partitions.TryGetValue(record.TopicPartition, out var state))
        {
            state = _partitions[record.TopicPartition] = new PartitionState(clock.GetUtcNow());
        }
        state.AtEnd = false;
        state.LastHeard = clock.GetUtcNow();
        state.Held.Enqueue((record, EnvelopePeek.EventTime(record.Message.Value)));
    }

    /// <summary>Moves up to <c>maxBatch</c> releasable records into <paramref name="batch"/>, in event-time order across partitions.</summary>
    public void Release(List<ConsumeResult<byte[]?, byte[]?>> batch)
    {
        var now = clock.GetUtcNow();
        while (batch.Count < maxBatch)
        {
            // The frontier only moves forward as records are released, so it is recomputed for each one: a batch
            // flows on as long as every partition that may still send something has records held.
            DateTimeOffset? frontier = null;
            PartitionState? next = null;
            foreach (var state in _partitions.Values)
            {
                DateTimeOffset bound;
                if (state.Held.Count > 0)
                {
                    bound = state.Held.Peek().EventTime ?? DateTimeOffset.MinValue;
                    if (next is null || bound < (next.Held.Peek().EventTime ?? DateTimeOffset.MinValue))
                    {
                        next = state;   // records without an event time go first: they are dead letters
                    }
                }
                else if (state.AtEnd || now - state.LastHeard > maxIdle)
                {
                    continue;   // caught up, or silent: it does not hold the others back
                }
                else
                {
                    bound = state.LastReleased ?? DateTimeOffset.MinValue;
                }
                if (frontier is null || bound < frontier)
                {
                    frontier = bound;
                }
            }
            if (next is null)
            {
                break;
            }
            var nextTime = next.Held.Peek().EventTime ?? DateTimeOffset.MinValue;
            if (frontier is { } earliest && nextTime > earliest && nextTime - earliest > maxSkew)
            {
                break;   // a partition that may still send older records is too far behind: wait for it
            }
            var (record, eventTime) = next.Held.Dequeue();
            if (eventTime is { } time && (next.LastReleased is null || time > next.LastReleased))
            {
                next.LastReleased = time;
            }
            batch.Add(record);
        }
    }

    /// <summary>Pauses partitions holding a full batch (so the lagging ones get fetched) and resumes drained ones.</summary>
    public void ApplyBackPressure(IConsumer<byte[]?, byte[]?> consumer)
    {
        var pause = new List<TopicPartition>();
        var resume = new List<TopicPartition>();
        foreach (var (partition, state) in _partitions)
        {
            if (!state.Paused && state.Held.Count >= maxBatch)
            {
                state.Paused = true;
                pause.Add(partition);
            }
            else if (state.Paused && state.Held.Count < maxBatch / 2)
            {
                state.Paused = false;
                resume.Add(partition);
            }
        }
        if (pause.Count > 0)
        {
            consumer.Pause(pause);
        }
        if (resume.Count > 0)
        {
            consumer.Resume(resume);
        }
    }

    private sealed class PartitionState(DateTimeOffset assignedAt)
    {
        public Queue<(ConsumeResult<byte[]?, byte[]?> Record, DateTimeOffset? EventTime)> Held { get; } = new();

        public DateTimeOffset? LastReleased { get; set; }

        public DateTimeOffset LastHeard { get; set; } = assignedAt;

        public bool AtEnd { get; set; }

        public bool Paused { get; set; }
    }
}
