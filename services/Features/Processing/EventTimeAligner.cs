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
/// prefix is released, so stored offsets stay contiguous.</para>
/// <para>Partitions are paused so that the consumer fetches the lagging ones and records are not held long. A
/// partition of a sparse topic (loan applications) covers days of event time per fetch; with a full batch as the
/// only limit, 50,000–100,000 records (a few hundred MB with their objects) sat here through many garbage
/// collections. A partition is paused when it holds a full batch, or <see cref="AheadLimit"/> records some of
/// which cannot be released yet; it resumes when it holds fewer than half as many, or (below half a batch) all it
/// holds can be released. Every pause costs a fetch: librdkafka drops what it prefetched for a partition when it is
/// paused and fetches it again on resume, so the limit is a fifth of a batch, not less (a twentieth paused
/// partitions 600 times in a million records, and the consumer waited on fetches for half the drain).</para>
/// </summary>
public sealed class EventTimeAligner(TimeSpan maxSkew, TimeSpan maxIdle, int maxBatch, TimeProvider clock)
{
    private readonly Dictionary<TopicPartition, PartitionState> _partitions = [];

    // Records later than this cannot be released until the slowest partition moves (as of the last Release; null: any can).
    private DateTimeOffset? _releaseBound;

    // The partition of the last record added, and its state (forgotten whenever the partitions change).
    private (TopicPartition Partition, PartitionState State)? _lastAdded;

    /// <summary>Records a partition that is ahead of the others may hold before it is paused.</summary>
    public int AheadLimit { get; } = Math.Max(64, maxBatch / 5);

    public int Held => _partitions.Values.Sum(partition => partition.Held.Count);

    public void Assigned(IEnumerable<TopicPartition> partitions)
    {
        _lastAdded = null;
        foreach (var partition in partitions)
        {
            _partitions[partition] = new PartitionState(clock.GetUtcNow());
        }
    }

    /// <summary>Forgets partitions no longer owned, with their held records (the new owner re-reads them).</summary>
    public void Removed(IEnumerable<TopicPartition> partitions)
    {
        _lastAdded = null;
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
        // Consumed records come in runs per partition: look the partition up once per run.
        if (_lastAdded is not var (partition, state) || !record.IsFrom(partition))
        {
            partition = record.TopicPartition;
            if (!_partitions.TryGetValue(partition, out state))
            {
                state = _partitions[partition] = new PartitionState(clock.GetUtcNow());
            }
            _lastAdded = (partition, state);
        }
        state.AtEnd = false;
        state.LastHeard = clock.GetUtcNow();
        var eventTime = EnvelopePeek.EventTime(record.Message.Value);
        state.Held.Enqueue((record, eventTime));
        state.LastAdded = eventTime;
    }

    /// <summary>Moves up to <c>maxBatch</c> releasable records into <paramref name="batch"/>, in event-time order across partitions.</summary>
    public void Release(List<ConsumeResult<byte[]?, byte[]?>> batch)
    {
        var now = clock.GetUtcNow();
        while (true)
        {
            // The frontier only moves forward as records are released, so it is recomputed for each one: a batch
            // flows on as long as every partition that may still send something has records held.
            var (frontier, next) = Scan(now);
            _releaseBound = ReleaseBound(frontier);
            if (next is null || batch.Count >= maxBatch)
            {
                break;
            }
            var nextTime = next.Held.Peek().EventTime ?? DateTimeOffset.MinValue;
            if (nextTime > _releaseBound)
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

    /// <summary>The frontier plus the allowed skew (saturating at the largest time); null when nothing holds records back.</summary>
    private DateTimeOffset? ReleaseBound(DateTimeOffset? frontier) => frontier switch
    {
        null => null,
        { } earliest when DateTimeOffset.MaxValue - earliest > maxSkew => earliest + maxSkew,
        _ => DateTimeOffset.MaxValue,
    };

    /// <summary>The frontier (null when no partition holds the others back) and the partition holding the earliest record.</summary>
    private (DateTimeOffset? Frontier, PartitionState? Next) Scan(DateTimeOffset now)
    {
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
        return (frontier, next);
    }

    /// <summary>
    /// Pauses partitions holding a full batch or running ahead (see the class remarks) and resumes those that no
    /// longer do; the caller passes the lists on to the consumer.
    /// </summary>
    public (List<TopicPartition> Pause, List<TopicPartition> Resume) BackPressure()
    {
        var pause = new List<TopicPartition>();
        var resume = new List<TopicPartition>();
        foreach (var (partition, state) in _partitions)
        {
            var held = state.Held.Count;
            // Ahead: it holds records that cannot be released yet.
            var ahead = held > 0 && _releaseBound is { } bound && state.LastAdded > bound;
            if (!state.Paused && (held >= maxBatch || (ahead && held >= AheadLimit)))
            {
                state.Paused = true;
                pause.Add(partition);
            }
            else if (state.Paused && (held < AheadLimit / 2 || (!ahead && held < maxBatch / 2)))
            {
                state.Paused = false;
                resume.Add(partition);
            }
        }
        return (pause, resume);
    }

    private sealed class PartitionState(DateTimeOffset assignedAt)
    {
        public Queue<(ConsumeResult<byte[]?, byte[]?> Record, DateTimeOffset? EventTime)> Held { get; } = new();

        public DateTimeOffset? LastReleased { get; set; }

        /// <summary>The event time of the newest record held.</summary>
        public DateTimeOffset? LastAdded { get; set; }

        public DateTimeOffset LastHeard { get; set; } = assignedAt;

        public bool AtEnd { get; set; }

        public bool Paused { get; set; }
    }
}
