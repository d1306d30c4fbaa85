using System.Diagnostics;
using Confluent.Kafka;
using CreditRisk.Contracts.Common.V1;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Features.Persistence;
using CreditRisk.FeatureStore;
using CreditRisk.Messaging.Consuming;
using CreditRisk.Messaging.Serialization;
using CreditRisk.Messaging.Telemetry;
using Microsoft.Extensions.Options;

namespace CreditRisk.Features.Processing;

/// <summary>
/// The stream processor's work, in three steps the consume loop drives (Kafka Streams' at-least-once model with
/// snapshot + offsets as the state's durability):
/// <list type="number">
/// <item><see cref="ApplyAsync"/> (consume thread): malformed records → dead letters; records below their
/// partition's checkpointed offset are applied already and skipped; the rest update the in-memory customer windows
/// (event time, allowed lateness). Each accepted event yields one row per customer view of its source (values as
/// of its event time) plus — when it is late but within the lateness — a restated latest vector, so the history's
/// newest row always equals the online vector; a LoanApplicationSubmitted also yields its <c>application</c> row;
/// events beyond the lateness go to the late topic.</item>
/// <item><see cref="WriteAsync"/> (concurrently with the next batches): offline rows, online vectors,
/// FeatureVectorUpdated, dead letters and late events — every one idempotent, retried until done.</item>
/// <item><see cref="TakeCheckpoint"/> between batches, every checkpoint interval: the changed states and each
/// partition's next offset; <see cref="StoreCheckpointAsync"/> stores them in one PostgreSQL transaction once the
/// writes of every batch applied before are done, while the next batches go on. Only then are Kafka offsets stored.</item>
/// </list>
/// After a crash the next owner starts from the checkpoint: the records after it are applied again to the states
/// they were first applied to, giving the same rows (skipped by the offline store's key), the same vectors (Redis
/// keeps the newest) and the same FeatureVectorUpdated ids.
/// </summary>
public sealed class FeatureBatchProcessor(
    RawEventDecoder decoder,
    CustomerStateStore states,
    IOfflineStore offlineStore,
    IOnlineStore onlineStore,
    DeadLetterPublisher deadLetters,
    LateEventRouter lateEvents,
    FeatureUpdatePublisher featureUpdates,
    StoreRetry retry,
    IOptions<FeatureProcessorOptions> options,
    ILogger<FeatureBatchProcessor> logger)
{
    private const int MaxTraceLinks = 64;

    private readonly FeatureProcessorOptions _options = options.Value;

    // Touched only on the consume loop's thread.
    private readonly Dictionary<string, CustomerProcessingState> _customers = new(StringComparer.Ordinal);
    private readonly Dictionary<TopicPartition, long> _checkpointed = [];
    private readonly Dictionary<TopicPartition, long> _applied = [];
    private readonly Dictionary<string, long> _recordsSinceCheckpoint = new(StringComparer.Ordinal);

    /// <summary>Whether records were applied since the last checkpoint.</summary>
    public bool HasUncheckpointedWork => _recordsSinceCheckpoint.Count > 0;

    /// <summary>The next offset stored in the checkpoint of <paramref name="partition"/>, if it has one.</summary>
    public long? CheckpointedOffset(TopicPartition partition) => _checkpointed.TryGetValue(partition, out var next) ? next : null;

    /// <summary>Loads the checkpointed offsets of newly owned partitions.</summary>
    public async Task AssignedAsync(IReadOnlyCollection<TopicPartition> partitions, CancellationToken cancellationToken)
    {
        foreach (var (partition, next) in await states.LoadOffsetsAsync(partitions, cancellationToken))
        {
            _checkpointed[partition] = next;
        }
    }

    /// <summary>
    /// Forgets partitions no longer owned — and every cached state, since another instance may change these
    /// customers from now on. Whatever was applied and not checkpointed is redone by the new owner.
    /// </summary>
    public void Forget(IEnumerable<TopicPartition> partitions)
    {
        foreach (var partition in partitions)
        {
            _checkpointed.Remove(partition);
            _applied.Remove(partition);
        }
        _customers.Clear();
        _recordsSinceCheckpoint.Clear();
    }

    /// <summary>Applies a batch to the windows in memory and returns the writes it calls for.</summary>
    public async Task<BatchWrites> ApplyAsync(IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> records, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var writes = new BatchWrites(StartBatchActivity(records), started, records.Count);

        // 1. Decode; dead-letter what is not a valid event; skip what the checkpoint covers.
        var decoded = new List<RawEvent>(records.Count);
        var alreadyApplied = 0;
        var partitions = new List<BatchPartition>();
        foreach (var record in records)
        {
            var partition = BatchPartition.Of(record, partitions, _checkpointed);
            partition.Records++;
            partition.Next = Math.Max(partition.Next, record.Offset.Value + 1);
            if (record.Offset.Value < partition.CheckpointedNext)
            {
                alreadyApplied++;
            }
            else if (decoder.TryDecode(record, out var rawEvent, out var reason))
            {
                decoded.Add(rawEvent!);
            }
            else
            {
                writes.DeadLetters.Add((record, reason!));
            }
        }

        // 2. The customers' states: in memory since this instance got their partitions, else from the checkpoint.
        var missing = new List<string>();
        foreach (var rawEvent in decoded)
        {
            if (!_customers.ContainsKey(rawEvent.CustomerId))
            {
                missing.Add(rawEvent.CustomerId);
            }
        }
        if (missing.Count > 0)
        {
            var loaded = await states.LoadAsync(missing.Distinct(StringComparer.Ordinal).ToList(), cancellationToken);
            foreach (var customerId in missing)
            {
                if (!_customers.ContainsKey(customerId))
                {
                    _customers[customerId] = loaded.TryGetValue(customerId, out var stored)
                        ? stored
                        : CustomerProcessingState.New(customerId, _options.AllowedLateness);
                }
            }
        }

        // 3. The windows. Nothing above changed any state, so a failure before here leaves nothing to undo.
        Apply(decoded, writes, ref alreadyApplied);
        AddOnlineRows(writes);
        writes.AlreadyApplied = alreadyApplied;

        foreach (var partition in partitions)
        {
            if (!_applied.TryGetValue(partition.Partition, out var applied) || applied < partition.Next)
            {
                _applied[partition.Partition] = partition.Next;
            }
            var topic = partition.Partition.Topic;
            _recordsSinceCheckpoint[topic] = _recordsSinceCheckpoint.GetValueOrDefault(topic) + partition.Records;
        }
        writes.Records = records.Count;
        logger.LogDebug("Applied {Records} records in {Elapsed:0.0} ms", records.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        writes.Activity?.SetTag("creditrisk.features.events_applied", writes.Applied);
        return writes;
    }

    private void Apply(List<RawEvent> events, BatchWrites writes, ref int alreadyApplied)
    {
        // Per customer in event-time order (stable: arrival order breaks ties), so that the batch's skew between
        // the three topics does not make an event look late. One sort of the batch, not a sort per customer.
        var order = new ApplyOrder[events.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = new ApplyOrder(events[i], i);
        }
        Array.Sort(order);
        CustomerProcessingState? state = null;
        foreach (var (rawEvent, _) in order)
        {
            if (state is null || !string.Equals(state.CustomerId, rawEvent.CustomerId, StringComparison.Ordinal))
            {
                state = _customers[rawEvent.CustomerId];
            }
            var outcome = state.Features.Apply(rawEvent.Customer);
            if (rawEvent.Event is LoanApplicationSubmitted application && outcome != ApplyOutcome.Duplicate)
            {
                // Request-time features need no window: written whatever the lateness.
                var row = ApplicationRow(application, rawEvent);
                writes.ApplicationRows.Add(row);
                writes.OfflineRows.Add(row);
            }
            switch (outcome)
            {
                case ApplyOutcome.TooLate:
                    writes.Late.Add((rawEvent, state.Features.Watermark, state.Features.AllowedLateness));
                    continue;
                case ApplyOutcome.Duplicate:
                    alreadyApplied++;   // the same event id at another offset (a producer retry)
                    continue;
            }
            state.Dirty = true;
            writes.Applied++;
            var views = FeatureRegistry.ViewsFor(rawEvent.Customer.Source);
            for (var i = 0; i < views.Count; i++)   // not foreach: an enumerator per event
            {
                AddRows(state, views[i], rawEvent, writes);
            }
        }
    }

    /// <summary>
    /// A partition of the batch: its checkpointed offset, looked up once per batch, and what the batch holds of it.
    /// A batch has records of a few partitions, interleaved by event time.
    /// </summary>
    private sealed class BatchPartition(TopicPartition partition, long checkpointedNext)
    {
        public TopicPartition Partition { get; } = partition;

        /// <summary>The next offset of the partition's checkpoint (-1: none): records below it are applied already.</summary>
        public long CheckpointedNext { get; } = checkpointedNext;

        /// <summary>The offset after the batch's last record of the partition.</summary>
        public long Next { get; set; } = -1;

        public int Records { get; set; }

        public static BatchPartition Of(ConsumeResult<byte[]?, byte[]?> record, List<BatchPartition> partitions, Dictionary<TopicPartition, long> checkpointed)
        {
            foreach (var known in partitions)
            {
                if (record.IsFrom(known.Partition))
                {
                    return known;
                }
            }
            var partition = record.TopicPartition;
            var added = new BatchPartition(partition, checkpointed.TryGetValue(partition, out var next) ? next : -1);
            partitions.Add(added);
            return added;
        }
    }

    /// <summary>Sorts a batch by customer, then event time, then arrival.</summary>
    private readonly record struct ApplyOrder(RawEvent Event, int Arrival) : IComparable<ApplyOrder>
    {
        public int CompareTo(ApplyOrder other)
        {
            var byCustomer = string.CompareOrdinal(Event.CustomerId, other.Event.CustomerId);
            if (byCustomer != 0)
            {
                return byCustomer;
            }
            var byTime = Event.EventTime.UtcTicks.CompareTo(other.Event.EventTime.UtcTicks);
            return byTime != 0 ? byTime : Arrival.CompareTo(other.Arrival);
        }
    }

    /// <summary>
    /// The event's row of <paramref name="view"/>, and a restated latest vector when the event is late. The row that
    /// becomes the latest vector is remembered as the view's online row: computed once, and no event of the batch
    /// applied after it can change it without producing a newer latest row.
    /// </summary>
    private static void AddRows(CustomerProcessingState state, FeatureView view, RawEvent rawEvent, BatchWrites writes)
    {
        var entity = state.Entity;
        var eventTime = FeatureTime.Truncate(rawEvent.EventTime);
        var createdTime = FeatureTime.Truncate(rawEvent.RecordedTime);
        var row = new FeatureRow(entity, view.Name, view.Version, state.Features.Compute(view, eventTime), eventTime, createdTime, rawEvent.EventId);
        writes.OfflineRows.Add(row);

        if (!state.Latest.TryGetValue(view.Name, out var latest) || eventTime >= latest.EventTime)
        {
            state.Latest[view.Name] = new LatestVector(eventTime, createdTime, rawEvent.EventId);
            writes.SetLatestRow(state, view, row);
            return;
        }
        // Late within the lateness: the newest vector changed too. Restate it at the same event time, created
        // later than the one it corrects, so point-in-time joins (and Redis) prefer it.
        var restatedCreated = createdTime > latest.CreatedTime ? createdTime : latest.CreatedTime.AddTicks(TimeSpan.TicksPerMicrosecond);
        var restated = new LatestVector(latest.EventTime, restatedCreated, rawEvent.EventId + RestatedSuffix);
        var restatedRow = new FeatureRow(entity, view.Name, view.Version, state.Features.Compute(view, latest.EventTime),
            restated.EventTime, restated.CreatedTime, restated.EventId);
        writes.OfflineRows.Add(restatedRow);
        state.Latest[view.Name] = restated;
        writes.SetLatestRow(state, view, restatedRow);
    }

    /// <summary>The latest vector of every customer view the batch changed, then the application rows.</summary>
    private static void AddOnlineRows(BatchWrites writes)
    {
        writes.TakeLatestRows(writes.OnlineRows);
        writes.OnlineRows.AddRange(writes.ApplicationRows);
    }

    /// <summary>Appended to a late event's id to key the restated latest vector it caused.</summary>
    public const string RestatedSuffix = "#restated";

    public static FeatureRow ApplicationRow(LoanApplicationSubmitted application, RawEvent rawEvent) => new(
        new EntityKey { Entity = Entities.Application.Name, Id = application.ApplicationId },
        FeatureRegistry.ApplicationV1.Name,
        FeatureRegistry.ApplicationV1.Version,
        ApplicationFeatures.Compute(application.Application),
        FeatureTime.Truncate(rawEvent.EventTime),
        FeatureTime.Truncate(rawEvent.RecordedTime),
        rawEvent.EventId);

    public static EntityKey CustomerKey(string customerId) => new() { Entity = Entities.Customer.Name, Id = customerId };

    /// <summary>
    /// Makes a batch's effects durable: offline rows, online vectors, FeatureVectorUpdated, late events and dead
    /// letters, concurrently. Each is idempotent, so a failed part is retried (with backoff, until
    /// <paramref name="cancellationToken"/>) without redoing the parts that succeeded.
    /// </summary>
    public async Task WriteAsync(BatchWrites writes, CancellationToken cancellationToken)
    {
        // Each part runs on the thread pool: encoding rows and serialising events is most of a write's CPU, and the
        // caller (the consume loop) must go on applying the next batch meanwhile.
        Task UntilWritten(string target, Func<CancellationToken, Task> write) => Task.Run(() =>
            retry.UntilDoneAsync($"write a batch of {writes.Records} records to the {target}", async token =>
            {
                var started = Stopwatch.GetTimestamp();
                await write(token);
                logger.LogDebug("Batch write to the {Target}: {Elapsed:0.0} ms", target, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }, cancellationToken), cancellationToken);

        try
        {
            await Task.WhenAll(
                UntilWritten("offline store", token => offlineStore.AppendAsync(writes.OfflineRows, token)),
                UntilWritten("online store", token => onlineStore.WriteAsync(writes.OnlineRows, token)),
                UntilWritten("feature updates topic", token => featureUpdates.PublishAsync(writes.OnlineRows, token)),
                UntilWritten("late topic", token => lateEvents.RouteAsync(writes.Late, token)),
                UntilWritten("dead-letter topic", token => Task.WhenAll(writes.DeadLetters.Select(deadLetter => deadLetters.SendAsync(
                    deadLetter.Record,
                    new DeadLetter(deadLetter.Reason, typeof(EventDeserializationException).FullName!, _options.GroupId, Attempts: 0),
                    token)))));
            Record(writes);
        }
        catch (Exception exception)
        {
            writes.Activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
            throw;
        }
        finally
        {
            writes.Activity?.Dispose();
        }
    }

    /// <summary>
    /// Takes the next checkpoint (on the consume thread, between batches): the states changed since the last one,
    /// serialised now, and every owned partition's next offset. It may be stored once the writes of every batch
    /// applied so far are done (<see cref="StoreCheckpointAsync"/>), while later batches are applied.
    /// </summary>
    public Checkpoint TakeCheckpoint()
    {
        var snapshots = new List<StateSnapshot>();
        foreach (var state in _customers.Values)
        {
            if (state.Dirty)
            {
                snapshots.Add(state.Snapshot());
            }
        }
        var moves = new List<OffsetCheckpoint>();
        foreach (var (partition, next) in _applied)
        {
            var stored = CheckpointedOffset(partition);
            if (next > (stored ?? -1))
            {
                moves.Add(new OffsetCheckpoint(partition, stored, next));
            }
        }
        var checkpoint = new Checkpoint(
            snapshots, moves, _applied.Select(entry => new TopicPartitionOffset(entry.Key, entry.Value)).ToList(),
            new Dictionary<string, long>(_recordsSinceCheckpoint));
        _recordsSinceCheckpoint.Clear();
        return checkpoint;
    }

    /// <summary>
    /// Stores a checkpoint in one transaction. Throws <see cref="ConcurrentStateUpdateException"/> when another
    /// instance wrote first: the caller must then <see cref="Forget"/> and return to the stored checkpoint.
    /// </summary>
    public async Task StoreCheckpointAsync(Checkpoint checkpoint, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await states.CheckpointAsync(checkpoint.States, checkpoint.Offsets, cancellationToken);
        FeatureProcessorTelemetry.CheckpointDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        logger.LogDebug("Checkpoint: {States} states, {Partitions} partitions in {Elapsed:0.0} ms",
            checkpoint.States.Count, checkpoint.Offsets.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>After <paramref name="checkpoint"/> is stored (consume thread): its offsets count as checkpointed, its records as consumed.</summary>
    public void Checkpointed(Checkpoint checkpoint)
    {
        foreach (var move in checkpoint.Offsets)
        {
            _checkpointed[move.Partition] = move.To;
        }
        foreach (var (topic, count) in checkpoint.Records)
        {
            MessagingTelemetry.RecordsConsumed.Add(count,
                new KeyValuePair<string, object?>(MessagingTelemetry.DestinationTag, topic),
                new KeyValuePair<string, object?>(MessagingTelemetry.ConsumerGroupTag, _options.GroupId));
        }
        if (_customers.Count > _options.StateCacheCapacity)
        {
            // The stored copies are current for every state not changed since: those are read back as their customers recur.
            foreach (var customerId in _customers.Where(entry => !entry.Value.Dirty).Select(entry => entry.Key).ToList())
            {
                _customers.Remove(customerId);
            }
        }
    }

    private Activity? StartBatchActivity(IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> records)
    {
        if (!FeatureProcessorTelemetry.ActivitySource.HasListeners())
        {
            return null;
        }
        // One span per batch, linked to a "receive" span of each of its first records, which continues the producer's
        // trace (W3C trace context from the record headers): an application's path goes on into this service.
        var links = new List<ActivityLink>();
        foreach (var record in records)
        {
            if (TraceContextPropagation.Extract(record.Message.Headers) == default)
            {
                continue;
            }
            using var received = MessagingTelemetry.StartRecordActivity(record, _options.GroupId, "receive");
            if (received is not null)
            {
                links.Add(new ActivityLink(received.Context));
            }
            if (links.Count == MaxTraceLinks)
            {
                break;
            }
        }
        var activity = FeatureProcessorTelemetry.ActivitySource.StartActivity(
            "process feature batch", ActivityKind.Consumer, parentContext: default, links: links);
        activity?.SetTag(MessagingTelemetry.SystemTag, "kafka");
        activity?.SetTag(MessagingTelemetry.OperationTypeTag, "process");
        activity?.SetTag("messaging.batch.message_count", records.Count);
        return activity;
    }

    private void Record(BatchWrites writes)
    {
        var elapsed = Stopwatch.GetElapsedTime(writes.Started).TotalSeconds;
        MessagingTelemetry.HandlerDuration.Record(elapsed, new KeyValuePair<string, object?>(MessagingTelemetry.ConsumerGroupTag, _options.GroupId));
        FeatureProcessorTelemetry.BatchDuration.Record(elapsed);
        FeatureProcessorTelemetry.EventsApplied.Add(writes.Applied);
        FeatureProcessorTelemetry.EventsAlreadyApplied.Add(writes.AlreadyApplied);
        FeatureProcessorTelemetry.RowsWritten.Add(writes.OfflineRows.Count);
        FeatureProcessorTelemetry.VectorsWritten.Add(writes.OnlineRows.Count);
        logger.LogDebug("Batch of {Records} records: {Applied} applied, {Skipped} already applied, {Late} late, {Rows} rows, {Vectors} vectors in {Elapsed:0.000} s",
            writes.Records, writes.Applied, writes.AlreadyApplied, writes.Late.Count, writes.OfflineRows.Count, writes.OnlineRows.Count, elapsed);
    }
}

/// <summary>A checkpoint taken between batches: state snapshots, offset moves, and what Kafka may commit once it is stored.</summary>
public sealed record Checkpoint(
    IReadOnlyList<StateSnapshot> States,
    IReadOnlyList<OffsetCheckpoint> Offsets,
    IReadOnlyList<TopicPartitionOffset> KafkaOffsets,
    IReadOnlyDictionary<string, long> Records);

/// <summary>What applying one batch calls for, and what it did (for logs, metrics and tests).</summary>
/// <param name="records">The batch's size: the lists are sized for about a row per record up front, not grown.</param>
public sealed class BatchWrites(Activity? activity, long started, int records = 0)
{
    public Activity? Activity { get; } = activity;

    public long Started { get; } = started;

    public int Records { get; set; }

    public int Applied { get; set; }

    public int AlreadyApplied { get; set; }

    public List<FeatureRow> OfflineRows { get; } = new(records + records / 8);

    public List<FeatureRow> ApplicationRows { get; } = [];

    public List<FeatureRow> OnlineRows { get; } = new(records);

    // The customers whose views the batch changed, in the order it first changed them.
    private readonly List<CustomerProcessingState> _changedStates = new(records);

    public List<(RawEvent Event, DateTimeOffset? Watermark, TimeSpan AllowedLateness)> Late { get; } = [];

    public List<(ConsumeResult<byte[]?, byte[]?> Record, string Reason)> DeadLetters { get; } = [];

    /// <summary>Makes <paramref name="row"/> the latest vector of <paramref name="state"/>'s <paramref name="view"/> in this batch.</summary>
    internal void SetLatestRow(CustomerProcessingState state, FeatureView view, FeatureRow row)
    {
        if (!ReferenceEquals(state.BatchLatestOwner, this))
        {
            // First change in this batch (what another batch left, e.g. one that failed part-way, is not this one's).
            state.BatchLatestOwner = this;
            state.BatchLatest.Clear();
            _changedStates.Add(state);
        }
        var latest = state.BatchLatest;
        for (var i = 0; i < latest.Count; i++)
        {
            if (ReferenceEquals(latest[i].View, view))
            {
                latest[i] = (view, row);
                return;
            }
        }
        latest.Add((view, row));
    }

    /// <summary>Adds to <paramref name="rows"/> the latest vector of every customer view the batch changed, once each.</summary>
    internal void TakeLatestRows(List<FeatureRow> rows)
    {
        foreach (var state in _changedStates)
        {
            foreach (var (_, row) in state.BatchLatest)
            {
                rows.Add(row);
            }
            state.BatchLatest.Clear();
            state.BatchLatestOwner = null;
        }
        _changedStates.Clear();
    }
}
