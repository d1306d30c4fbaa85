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
/// Turns one batch of raw records into durable effects, in an order that makes a redone batch a no-op:
/// <list type="number">
/// <item>malformed records → dead-letter topic;</item>
/// <item>events whose id is recorded as applied are skipped (redelivery, replay);</item>
/// <item>the rest update the customers' windows (event time, allowed lateness): each accepted event yields
/// one row per customer view of its source (values as of its event time), plus — when it is late but within
/// the lateness — a restated latest vector, so the history's newest row always equals the online vector;
/// a LoanApplicationSubmitted also yields its <c>application</c> row; events beyond the lateness → late topic;</item>
/// <item>offline store append (idempotent by entity, view, version, event id), then ONE PostgreSQL transaction
/// storing the customers' states (optimistically versioned) and the applied event ids;</item>
/// <item>online store (Redis: the latest vector per customer and view, guarded so older never overwrites
/// newer) and FeatureVectorUpdated.</item>
/// </list>
/// Only when all of that is done does the caller store the offsets.
/// </summary>
public sealed class FeatureBatchProcessor(
    RawEventDecoder decoder,
    CustomerStateStore states,
    IOfflineStore offlineStore,
    IOnlineStore onlineStore,
    DeadLetterPublisher deadLetters,
    LateEventRouter lateEvents,
    FeatureUpdatePublisher featureUpdates,
    IOptions<FeatureProcessorOptions> options,
    ILogger<FeatureBatchProcessor> logger)
{
    private const int MaxTraceLinks = 64;

    private readonly FeatureProcessorOptions _options = options.Value;
    private readonly Dictionary<string, CustomerProcessingState> _cache = new(StringComparer.Ordinal);
    private readonly Lock _cacheLock = new();

    /// <summary>Drops every cached state: the next batch reads them from PostgreSQL (after a rebalance).</summary>
    public void ForgetCachedState()
    {
        lock (_cacheLock)
        {
            _cache.Clear();
        }
    }

    /// <summary>
    /// Processes a batch; with <see cref="FeatureProcessorOptions.Parallelism"/> &gt; 1 it is split by record key (customer)
    /// into lanes processed concurrently — each lane its own transaction, Redis write and publish — since the stages
    /// mostly wait on PostgreSQL, Redis and the broker. A customer's records stay in one lane, in order.
    /// </summary>
    public async Task<BatchResult> ProcessAsync(IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> records, CancellationToken cancellationToken)
    {
        var lanes = Math.Clamp(records.Count / MinLaneRecords, 1, Math.Max(1, _options.Parallelism));
        if (lanes == 1)
        {
            return await ProcessLaneAsync(records, cancellationToken);
        }
        var split = new List<ConsumeResult<byte[]?, byte[]?>>[lanes];
        for (var i = 0; i < lanes; i++)
        {
            split[i] = new List<ConsumeResult<byte[]?, byte[]?>>(records.Count / lanes + 16);
        }
        foreach (var record in records)
        {
            var lane = record.Message.Key is { } key ? (int)(Fnv1a(key) % (uint)lanes) : 0;
            split[lane].Add(record);
        }
        var results = await Task.WhenAll(split.Select(lane => ProcessLaneAsync(lane, cancellationToken)));
        return new BatchResult(
            results.Sum(result => result.Records), results.Sum(result => result.Applied), results.Sum(result => result.AlreadyApplied),
            results.Sum(result => result.Late), results.Sum(result => result.DeadLettered), results.Sum(result => result.OfflineRows),
            results.Sum(result => result.OnlineRows));
    }

    private static uint Fnv1a(byte[] bytes)
    {
        var hash = 2166136261u;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 16777619u;
        }
        return hash;
    }

    /// <summary>Below this many records per lane, splitting a batch costs more than it saves.</summary>
    private const int MinLaneRecords = 200;

    private async Task<BatchResult> ProcessLaneAsync(IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> records, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var activity = StartBatchActivity(records);

        // 1. Decode; dead-letter what is not a valid event.
        var decoded = new List<RawEvent>(records.Count);
        var deadLettering = new List<Task>();
        foreach (var record in records)
        {
            if (decoder.TryDecode(record, out var rawEvent, out var reason))
            {
                decoded.Add(rawEvent!);
            }
            else
            {
                deadLettering.Add(deadLetters.SendAsync(
                    record, new DeadLetter(reason!, typeof(EventDeserializationException).FullName!, _options.GroupId, Attempts: 0), cancellationToken));
            }
        }

        // 2. Skip what is already applied (and repeats within the batch).
        var unique = decoded.DistinctBy(rawEvent => rawEvent.EventId, StringComparer.Ordinal).ToList();
        var applied = await states.GetAppliedAsync(unique.Select(rawEvent => rawEvent.EventId).ToList(), cancellationToken);
        var customerIds = unique.Select(rawEvent => rawEvent.CustomerId).Distinct(StringComparer.Ordinal).ToList();
        var customers = await GetStatesAsync(customerIds, cancellationToken);

        try
        {
            var t0 = Stopwatch.GetTimestamp();
            var work = Apply(unique, applied, customers);
            var t1 = Stopwatch.GetTimestamp();
            await Task.WhenAll(deadLettering);
            await lateEvents.RouteAsync(work.Late, cancellationToken);
            var t2 = Stopwatch.GetTimestamp();

            // 3. Durable in PostgreSQL: history first (idempotent), then state + applied ids atomically. A crash
            // in between redoes the batch from the old state, which recomputes the same rows (skipped).
            if (work.OfflineRows.Count > 0)
            {
                await offlineStore.AppendAsync(work.OfflineRows, cancellationToken);
            }
            var t3 = Stopwatch.GetTimestamp();
            var dirty = customers.Values.Where(state => state.Dirty).ToList();
            await states.CommitAsync(dirty, work.AppliedEventIds, cancellationToken);
            var t4 = Stopwatch.GetTimestamp();

            // 4. Serving side.
            var onlineRows = work.OnlineRows(customers);
            await onlineStore.WriteAsync(onlineRows, cancellationToken);
            var t5 = Stopwatch.GetTimestamp();
            await featureUpdates.PublishAsync(onlineRows, cancellationToken);
            var t6 = Stopwatch.GetTimestamp();
            logger.LogDebug("Batch stages (ms): decode+load {Load:0}, apply {Apply:0}, dead-letter+late {Late:0}, offline {Offline:0}, state {State:0}, online {Online:0}, publish {Publish:0}",
                Stopwatch.GetElapsedTime(started, t0).TotalMilliseconds, Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds,
                Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds, Stopwatch.GetElapsedTime(t2, t3).TotalMilliseconds,
                Stopwatch.GetElapsedTime(t3, t4).TotalMilliseconds, Stopwatch.GetElapsedTime(t4, t5).TotalMilliseconds,
                Stopwatch.GetElapsedTime(t5, t6).TotalMilliseconds);

            Record(records, work, onlineRows.Count, applied.Count, started);
            activity?.SetTag("creditrisk.features.events_applied", work.AppliedEventIds.Count);
            return new BatchResult(records.Count, work.AppliedEventIds.Count, applied.Count, work.Late.Count,
                records.Count - decoded.Count, work.OfflineRows.Count, onlineRows.Count);
        }
        catch (Exception exception)
        {
            // The states were changed in memory by a batch that did not commit: read them again next time.
            Forget(customerIds);
            activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
            throw;
        }
    }

    private BatchWork Apply(List<RawEvent> events, HashSet<string> applied, Dictionary<string, CustomerProcessingState> customers)
    {
        var work = new BatchWork();
        // Per customer in event-time order (stable: arrival order breaks ties), so that the batch's skew between
        // the three topics does not make an event look late.
        foreach (var group in events.GroupBy(rawEvent => rawEvent.CustomerId, StringComparer.Ordinal))
        {
            var state = customers[group.Key];
            foreach (var rawEvent in group.OrderBy(rawEvent => rawEvent.EventTime))
            {
                if (rawEvent.Event is LoanApplicationSubmitted application)
                {
                    // Request-time features need no window: written whatever the lateness (replays are no-ops).
                    var row = ApplicationRow(application, rawEvent);
                    work.ApplicationRows.Add(row);
                    if (!applied.Contains(rawEvent.EventId))
                    {
                        work.OfflineRows.Add(row);
                    }
                }
                if (applied.Contains(rawEvent.EventId))
                {
                    // Effect stored; its vectors may not have reached Redis before a crash, so refresh them.
                    work.Touch(group.Key, rawEvent.Customer.Source);
                    continue;
                }
                var outcome = state.Features.Apply(rawEvent.Customer);
                switch (outcome)
                {
                    case ApplyOutcome.TooLate:
                        work.Late.Add((rawEvent, state.Features.Watermark, state.Features.AllowedLateness));
                        continue;
                    case ApplyOutcome.Duplicate:
                        work.AppliedEventIds.Add(rawEvent.EventId);
                        work.Touch(group.Key, rawEvent.Customer.Source);
                        continue;
                }
                state.Dirty = true;
                work.AppliedEventIds.Add(rawEvent.EventId);
                foreach (var view in FeatureRegistry.ViewsFor(rawEvent.Customer.Source))
                {
                    AddRows(state, view, rawEvent, work);
                }
                work.Touch(group.Key, rawEvent.Customer.Source);
            }
        }
        return work;
    }

    /// <summary>The event's row of <paramref name="view"/>, and a restated latest vector when the event is late.</summary>
    private static void AddRows(CustomerProcessingState state, FeatureView view, RawEvent rawEvent, BatchWork work)
    {
        var entity = CustomerKey(state.CustomerId);
        var eventTime = FeatureTime.Truncate(rawEvent.EventTime);
        var createdTime = FeatureTime.Truncate(rawEvent.RecordedTime);
        work.OfflineRows.Add(new FeatureRow(entity, view.Name, view.Version, state.Features.Compute(view, eventTime), eventTime, createdTime, rawEvent.EventId));

        if (!state.Latest.TryGetValue(view.Name, out var latest) || eventTime >= latest.EventTime)
        {
            state.Latest[view.Name] = new LatestVector(eventTime, createdTime, rawEvent.EventId);
            return;
        }
        // Late within the lateness: the newest vector changed too. Restate it at the same event time, created
        // later than the one it corrects, so point-in-time joins (and Redis) prefer it.
        var restatedCreated = createdTime > latest.CreatedTime ? createdTime : latest.CreatedTime.AddTicks(TimeSpan.TicksPerMicrosecond);
        var restated = new LatestVector(latest.EventTime, restatedCreated, rawEvent.EventId + RestatedSuffix);
        work.OfflineRows.Add(new FeatureRow(entity, view.Name, view.Version, state.Features.Compute(view, latest.EventTime),
            restated.EventTime, restated.CreatedTime, restated.EventId));
        state.Latest[view.Name] = restated;
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

    private async Task<Dictionary<string, CustomerProcessingState>> GetStatesAsync(List<string> customerIds, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, CustomerProcessingState>(customerIds.Count, StringComparer.Ordinal);
        var missing = new List<string>();
        lock (_cacheLock)
        {
            foreach (var customerId in customerIds)
            {
                if (_cache.TryGetValue(customerId, out var cached))
                {
                    result[customerId] = cached;
                }
                else
                {
                    missing.Add(customerId);
                }
            }
        }
        if (missing.Count > 0)
        {
            var loaded = await states.LoadAsync(missing, cancellationToken);
            foreach (var customerId in missing)
            {
                result[customerId] = loaded.TryGetValue(customerId, out var stored)
                    ? stored
                    : CustomerProcessingState.New(customerId, _options.AllowedLateness);
            }
            lock (_cacheLock)
            {
                if (_options.StateCacheCapacity > 0)
                {
                    if (_cache.Count + missing.Count > _options.StateCacheCapacity)
                    {
                        _cache.Clear();   // crude bound; a rebalance empties it anyway
                    }
                    foreach (var customerId in missing)
                    {
                        _cache[customerId] = result[customerId];
                    }
                }
            }
        }
        return result;
    }

    private void Forget(IEnumerable<string> customerIds)
    {
        lock (_cacheLock)
        {
            foreach (var customerId in customerIds)
            {
                _cache.Remove(customerId);
            }
        }
    }

    private static Activity? StartBatchActivity(IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> records)
    {
        if (!FeatureProcessorTelemetry.ActivitySource.HasListeners())
        {
            return null;
        }
        // One span per batch, linked to the producers' spans (W3C trace context from the record headers).
        var links = new List<ActivityLink>();
        foreach (var record in records)
        {
            var parent = TraceContextPropagation.Extract(record.Message.Headers);
            if (parent != default)
            {
                links.Add(new ActivityLink(parent));
                if (links.Count == MaxTraceLinks)
                {
                    break;
                }
            }
        }
        var activity = FeatureProcessorTelemetry.ActivitySource.StartActivity(
            "process feature batch", ActivityKind.Consumer, parentContext: default, links: links);
        activity?.SetTag(MessagingTelemetry.SystemTag, "kafka");
        activity?.SetTag(MessagingTelemetry.OperationTypeTag, "process");
        activity?.SetTag("messaging.batch.message_count", records.Count);
        return activity;
    }

    private void Record(IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> records, BatchWork work, int onlineRows, int alreadyApplied, long started)
    {
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        foreach (var topic in records.GroupBy(record => record.Topic))
        {
            MessagingTelemetry.RecordsConsumed.Add(topic.Count(),
                new KeyValuePair<string, object?>(MessagingTelemetry.DestinationTag, topic.Key),
                new KeyValuePair<string, object?>(MessagingTelemetry.ConsumerGroupTag, _options.GroupId));
        }
        MessagingTelemetry.HandlerDuration.Record(elapsed, new KeyValuePair<string, object?>(MessagingTelemetry.ConsumerGroupTag, _options.GroupId));
        FeatureProcessorTelemetry.BatchDuration.Record(elapsed);
        FeatureProcessorTelemetry.EventsApplied.Add(work.AppliedEventIds.Count);
        FeatureProcessorTelemetry.EventsAlreadyApplied.Add(alreadyApplied);
        FeatureProcessorTelemetry.RowsWritten.Add(work.OfflineRows.Count);
        FeatureProcessorTelemetry.VectorsWritten.Add(onlineRows);
        logger.LogDebug("Batch of {Records} records: {Applied} applied, {Skipped} already applied, {Late} late, {Rows} rows, {Vectors} vectors in {Elapsed:0.000} s",
            records.Count, work.AppliedEventIds.Count, alreadyApplied, work.Late.Count, work.OfflineRows.Count, onlineRows, elapsed);
    }

    /// <summary>What applying a batch produced.</summary>
    private sealed class BatchWork
    {
        public List<FeatureRow> OfflineRows { get; } = [];

        public List<FeatureRow> ApplicationRows { get; } = [];

        public List<string> AppliedEventIds { get; } = [];

        public List<(RawEvent Event, DateTimeOffset? Watermark, TimeSpan AllowedLateness)> Late { get; } = [];

        private readonly HashSet<(string CustomerId, SourceEvent Source)> _touched = [];

        public void Touch(string customerId, SourceEvent source) => _touched.Add((customerId, source));

        /// <summary>The latest vector of every customer view the batch touched, plus the application rows.</summary>
        public List<FeatureRow> OnlineRows(Dictionary<string, CustomerProcessingState> customers)
        {
            var rows = new List<FeatureRow>(_touched.Count + ApplicationRows.Count);
            foreach (var (customerId, source) in _touched)
            {
                var state = customers[customerId];
                foreach (var view in FeatureRegistry.ViewsFor(source))
                {
                    // A vector older than watermark − lateness may have lost events to retention: it was
                    // written exactly when it was current, and cannot be recomputed now.
                    if (state.Latest.TryGetValue(view.Name, out var latest)
                        && (state.Features.Watermark is not { } watermark || latest.EventTime >= watermark - state.Features.AllowedLateness))
                    {
                        rows.Add(new FeatureRow(CustomerKey(customerId), view.Name, view.Version,
                            state.Features.Compute(view, latest.EventTime), latest.EventTime, latest.CreatedTime, latest.EventId));
                    }
                }
            }
            rows.AddRange(ApplicationRows);
            return rows;
        }
    }
}

/// <summary>What one batch did (for logs, tests and the benchmark).</summary>
public sealed record BatchResult(int Records, int Applied, int AlreadyApplied, int Late, int DeadLettered, int OfflineRows, int OnlineRows);
