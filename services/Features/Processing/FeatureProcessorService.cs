using System.Diagnostics;
using Confluent.Kafka;
using CreditRisk.Features.Persistence;
using CreditRisk.Messaging;
using CreditRisk.Messaging.Consuming;
using CreditRisk.Messaging.Health;
using Microsoft.Extensions.Options;

namespace CreditRisk.Features.Processing;

/// <summary>
/// The stream processor's consume loop. The messaging library's subscriptions hand over one record at a
/// time; feature processing works in batches and checkpoints (see <see cref="FeatureBatchProcessor"/>), so this
/// loop follows the library's patterns itself: a blocking loop on its own thread, offsets stored only after the
/// checkpoint that covers them, committed in the background, on revocation and on close; an error Consume reports that
/// librdkafka recovers from is logged and counted (<see cref="ConsumeErrors"/>), only a fatal one stops the service.
/// <para>Partitions are assigned with the range assignor: with the same partition count on the three source topics
/// (keyed by customer) an instance owns partition n of all three, so each customer's state has one writer.</para>
/// </summary>
public sealed class FeatureProcessorService(
    FeatureBatchProcessor processor,
    StoreRetry retry,
    IOptions<FeatureProcessorOptions> options,
    KafkaClientFactory clients,
    KafkaClientHealth health,
    IHostApplicationLifetime lifetime,
    ILogger<FeatureProcessorService> logger) : BackgroundService
{
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(250);

    private readonly FeatureProcessorOptions _options = options.Value;
    private readonly string _sourceTopics = string.Join(", ", options.Value.SourceTopics);

    // All touched only on the loop thread (librdkafka calls the rebalance handlers inside Consume, on that thread).
    private readonly HandledOffsets _handled = new(options.Value.GroupId, logger);
    private readonly List<ConsumeResult<byte[]?, byte[]?>> _batch = [];
    private readonly EventTimeAligner _aligner = new(
        options.Value.EffectiveMaxInputSkew, options.Value.MaxInputIdle, options.Value.MaxBatchRecords, TimeProvider.System);
    private readonly Queue<Task> _inFlight = new();
    // First offset consumed per partition since it was assigned: where to return to when it has no checkpoint.
    private readonly Dictionary<TopicPartition, long> _firstConsumed = [];
    // The partition of the last record consumed, once recorded in _firstConsumed: records come in runs per partition.
    private TopicPartition? _lastConsumed;
    // Cancels in-flight writes: after the shutdown timeout, or when the partitions are lost.
    private CancellationTokenSource _writes = new();
    private long _lastCheckpoint = Stopwatch.GetTimestamp();
    // The checkpoint being stored in the background (one at a time, in order).
    private (Checkpoint Checkpoint, Task Storing)? _checkpointing;
    private CancellationToken _stopping;

    private string ClientName => $"consumer {_options.GroupId}/features";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        // librdkafka's Consume blocks: off the host's start-up path and off the thread pool.
        ConsumeLoopThread.Start("consume features", () => ConsumeLoop(stoppingToken));

    private IConsumer<byte[]?, byte[]?> BuildConsumer()
    {
        var config = clients.ConsumerConfig(_options.GroupId);
        config.PartitionAssignmentStrategy = PartitionAssignmentStrategy.Range;
        // End-of-partition events tell the event-time alignment which partitions are caught up.
        config.EnablePartitionEof = true;
        // Fetched ahead in steps of 256 KB per partition rather than librdkafka's megabyte: every record consumed is
        // held by the event-time alignment until the slowest partition catches up, and a sparse topic's megabyte
        // covers weeks of event time (see EventTimeAligner and the README on the step size).
        config.MaxPartitionFetchBytes ??= 256 * 1024;
        config.QueuedMinMessages ??= Math.Max(1_000, _options.MaxBatchRecords / 5);
        // librdkafka's default 1 s back-off after a full fetch queue would cap the rate.
        config.FetchQueueBackoffMs ??= 10;

        return clients.ConsumerBuilder(config, ClientName, logger)
            .SetPartitionsAssignedHandler((_, partitions) =>
            {
                _aligner.Assigned(partitions);
                UntilDone("load the checkpointed offsets", token => processor.AssignedAsync(partitions, token));
                logger.LogInformation("Assigned {Partitions} in group {Group}", string.Join(", ", partitions), _options.GroupId);
            })
            .SetPartitionsRevokedHandler((consumer, partitions) =>
            {
                // The partitions move once this returns: checkpoint what is done so the next owner goes on from there.
                var revoked = partitions.Select(partition => partition.TopicPartition).ToHashSet();
                if (!_stopping.IsCancellationRequested)
                {
                    CheckpointNow(consumer, rewindOnConflict: false);
                }
                _handled.CommitRevoked(consumer, revoked);
                logger.LogInformation("Revoked {Partitions}", string.Join(", ", partitions));
                Forget(revoked);
            })
            .SetPartitionsLostHandler((_, partitions) =>
            {
                logger.LogWarning("Lost {Partitions}; what was not checkpointed is redone by their new owner", string.Join(", ", partitions));
                DropInFlight();
                Forget(partitions.Select(partition => partition.TopicPartition).ToHashSet());
            })
            .Build();
    }

    private void ConsumeLoop(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        // Writes retrying against an unavailable store get the shutdown timeout to finish, then are cancelled.
        using var stopWrites = stoppingToken.Register(() => _writes.CancelAfter(_options.ShutdownTimeout));
        using var consumer = BuildConsumer();
        consumer.Subscribe(_options.SourceTopics);
        logger.LogInformation("Processing {Topics} as group {Group} in batches of up to {Records} records / {Delay} ms, checkpoint every {Interval} ms",
            _sourceTopics, _options.GroupId, _options.MaxBatchRecords, _options.MaxBatchDelay.TotalMilliseconds,
            _options.CheckpointInterval.TotalMilliseconds);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                Gather(consumer, stoppingToken);
                var idle = _batch.Count == 0 && _aligner.Held == 0;
                if (_batch.Count > 0)
                {
                    Apply(consumer, stoppingToken);
                }
                CompleteCheckpoint(consumer, wait: false, rewindOnConflict: true);
                // Every interval, and as soon as the input runs dry: offsets then lag behind only while records flow.
                if (_checkpointing is null && processor.HasUncheckpointedWork && (idle || Stopwatch.GetElapsedTime(_lastCheckpoint) >= _options.CheckpointInterval))
                {
                    StartCheckpoint();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown.
        }
        catch (KafkaException exception) when (exception.Error.IsFatal)
        {
            health.ReportFatal(ClientName, $"{exception.Error.Code}: {exception.Error.Reason}");
            logger.LogCritical(exception, "Fatal Kafka error in the feature processor; stopping the service");
            lifetime.StopApplication();
        }
        finally
        {
            _batch.Clear();
            CheckpointOnShutdown(consumer);
            Close(consumer);
        }
    }

    /// <summary>Applies the gathered batch and starts its writes; waits for the oldest writes beyond the in-flight bound.</summary>
    private void Apply(IConsumer<byte[]?, byte[]?> consumer, CancellationToken stoppingToken)
    {
        BatchWrites writes;
        try
        {
            writes = processor.ApplyAsync(_batch, stoppingToken).GetAwaiter().GetResult();
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            // Loading states failed (PostgreSQL unavailable) or applying did: states may be half-changed, so
            // return to the checkpoint and read the records again.
            logger.LogWarning(exception, "Applying a batch of {Records} records failed; returning to the last checkpoint", _batch.Count);
            Rewind(consumer);
            stoppingToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(500));
            return;
        }
        _batch.Clear();
        _inFlight.Enqueue(processor.WriteAsync(writes, _writes.Token));
        while (_inFlight.Count > Math.Max(1, _options.MaxBatchesInFlight))
        {
            _inFlight.Dequeue().GetAwaiter().GetResult();
        }
    }

    /// <summary>
    /// Takes a checkpoint and stores it in the background once the writes in flight now (every batch applied so far)
    /// are done. Store failures are retried: the snapshots stay valid.
    /// </summary>
    private void StartCheckpoint()
    {
        var checkpoint = processor.TakeCheckpoint();
        var covering = _inFlight.ToArray();
        var cancellationToken = _writes.Token;
        _checkpointing = (checkpoint, Task.Run(async () =>
        {
            await Task.WhenAll(covering);
            await retry.UntilDoneAsync("store a checkpoint", token => processor.StoreCheckpointAsync(checkpoint, token), cancellationToken);
        }, CancellationToken.None));
        _lastCheckpoint = Stopwatch.GetTimestamp();
    }

    /// <summary>
    /// When the checkpoint being stored is done (or, with <paramref name="wait"/>, once it is): marks it stored and
    /// stores its offsets in Kafka. Another writer's change means the states held here are stale: return to the
    /// checkpoint (or, when the partitions are leaving anyway, just forget them).
    /// </summary>
    private void CompleteCheckpoint(IConsumer<byte[]?, byte[]?> consumer, bool wait, bool rewindOnConflict)
    {
        if (_checkpointing is not var (checkpoint, storing) || (!wait && !storing.IsCompleted))
        {
            return;
        }
        _checkpointing = null;
        try
        {
            storing.GetAwaiter().GetResult();
            processor.Checkpointed(checkpoint);
            foreach (var offset in checkpoint.KafkaOffsets)
            {
                _handled.Store(consumer, offset);
            }
        }
        catch (ConcurrentStateUpdateException exception)
        {
            logger.LogWarning(exception, "Another instance changed state this one holds; returning to the last checkpoint");
            if (rewindOnConflict)
            {
                Rewind(consumer);
            }
            else
            {
                DropInFlight();
                processor.Forget([]);
            }
        }
    }

    /// <summary>Checkpoints everything applied so far and waits until it is stored (revocation, shutdown).</summary>
    private void CheckpointNow(IConsumer<byte[]?, byte[]?> consumer, bool rewindOnConflict)
    {
        CompleteCheckpoint(consumer, wait: true, rewindOnConflict);
        if (processor.HasUncheckpointedWork)
        {
            StartCheckpoint();
            CompleteCheckpoint(consumer, wait: true, rewindOnConflict);
        }
    }

    /// <summary>
    /// Returns every owned partition to its checkpoint: drops the states in memory, the held records and the
    /// in-flight writes' outcome (they are idempotent), reloads the checkpointed offsets and seeks there.
    /// </summary>
    private void Rewind(IConsumer<byte[]?, byte[]?> consumer)
    {
        FeatureProcessorTelemetry.Rewinds.Add(1);
        DropInFlight();
        var assignment = consumer.Assignment.ToList();
        _batch.Clear();
        _aligner.Removed(assignment);
        processor.Forget(assignment);
        _aligner.Assigned(assignment);
        // The alignment starts again with nothing held, so nothing is held back by pausing either.
        consumer.Resume(assignment);
        UntilDone("load the checkpointed offsets", token => processor.AssignedAsync(assignment, token));
        foreach (var partition in assignment)
        {
            if ((processor.CheckpointedOffset(partition) ?? _firstConsumed.GetValueOrDefault(partition, -1)) is var offset and >= 0)
            {
                consumer.Seek(new TopicPartitionOffset(partition, offset));
            }
        }
        _firstConsumed.Clear();
        _lastConsumed = null;
    }

    /// <summary>On stop: a last checkpoint of what the in-flight writes complete within the shutdown timeout.</summary>
    private void CheckpointOnShutdown(IConsumer<byte[]?, byte[]?> consumer)
    {
        if (consumer.Assignment.Count == 0)
        {
            return;
        }
        try
        {
            CheckpointNow(consumer, rewindOnConflict: false);
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "No checkpoint on shutdown; the records since the last one will be redone");
        }
    }

    /// <summary>Cancels and forgets the in-flight writes (their records are redone from the checkpoint).</summary>
    private void DropInFlight()
    {
        _writes.Cancel();
        if (_checkpointing is var (_, storing))
        {
            _inFlight.Enqueue(storing);
            _checkpointing = null;
        }
        foreach (var write in _inFlight)
        {
            try
            {
                write.GetAwaiter().GetResult();
            }
            catch (Exception)
            {
                // Cancelled or failed: redone from the checkpoint.
            }
        }
        _inFlight.Clear();
        _writes.Dispose();
        _writes = new CancellationTokenSource();
        if (_stopping.IsCancellationRequested)
        {
            _writes.CancelAfter(_options.ShutdownTimeout);
        }
    }

    /// <summary>Runs a store operation on the loop thread until it succeeds or the service stops; conflicts propagate.</summary>
    private void UntilDone(string what, Func<CancellationToken, Task> operation) =>
        retry.UntilDoneAsync(what, operation, _stopping).GetAwaiter().GetResult();

    /// <summary>
    /// Consumes for up to <see cref="FeatureProcessorOptions.MaxBatchDelay"/> (or a batch's worth of records), then
    /// fills <see cref="_batch"/> with what the event-time alignment releases.
    /// </summary>
    private void Gather(IConsumer<byte[]?, byte[]?> consumer, CancellationToken stoppingToken)
    {
        // The records held back may already make a full batch (the aligner holds thousands while partitions that ran
        // ahead are paused): then take only what has arrived, without waiting up to MaxBatchDelay for more.
        _aligner.Release(_batch);
        var started = Stopwatch.GetTimestamp();
        var received = 0;
        while (received < _options.MaxBatchRecords && !stoppingToken.IsCancellationRequested)
        {
            var timeout = _batch.Count >= _options.MaxBatchRecords ? TimeSpan.Zero
                : received == 0 && _batch.Count == 0 && _aligner.Held == 0 ? IdlePoll
                : _options.MaxBatchDelay - Stopwatch.GetElapsedTime(started);
            if (timeout < TimeSpan.Zero)
            {
                break;
            }
            // Null also after an error librdkafka recovers from (logged and counted): the batch closes, consuming goes on.
            var record = consumer.ConsumeReportingErrors(timeout, _options.GroupId, _sourceTopics, logger);
            if (record is null)
            {
                break;
            }
            if (record.IsPartitionEOF)
            {
                _aligner.ReachedEnd(record.TopicPartition);
                continue;
            }
            if (_lastConsumed is null || !record.IsFrom(_lastConsumed))
            {
                _lastConsumed = record.TopicPartition;
                _firstConsumed.TryAdd(_lastConsumed, record.Offset.Value);
            }
            _aligner.Add(record);
            received++;
        }
        stoppingToken.ThrowIfCancellationRequested();
        _aligner.Release(_batch);
        var (pause, resume) = _aligner.BackPressure();
        if (pause.Count > 0)
        {
            consumer.Pause(pause);
        }
        if (resume.Count > 0)
        {
            consumer.Resume(resume);
        }
    }

    /// <summary>Drops what belongs to partitions this instance no longer owns: the new owner re-reads them.</summary>
    private void Forget(HashSet<TopicPartition> partitions)
    {
        _batch.RemoveAll(record => partitions.Contains(record.TopicPartition));
        _aligner.Removed(partitions);
        _handled.Forget(partitions);
        processor.Forget(partitions);
        foreach (var partition in partitions)
        {
            _firstConsumed.Remove(partition);
        }
        _lastConsumed = null;
    }

    private void Close(IConsumer<byte[]?, byte[]?> consumer)
    {
        try
        {
            // Commits the stored offsets and leaves the group, so the partitions move at once.
            consumer.Close();
            logger.LogInformation("Closed the feature processor's consumer");
        }
        catch (KafkaException exception)
        {
            logger.LogWarning(exception, "Closing the feature processor's consumer failed");
        }
    }
}
