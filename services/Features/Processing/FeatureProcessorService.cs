using System.Diagnostics;
using Confluent.Kafka;
using CreditRisk.Messaging.Consuming;
using CreditRisk.Messaging;
using CreditRisk.Messaging.Health;
using CreditRisk.Messaging.Telemetry;
using Microsoft.Extensions.Options;

namespace CreditRisk.Features.Processing;

/// <summary>
/// The stream processor's consume loop. The messaging library's subscriptions hand over one record at a
/// time; feature processing needs batches (one PostgreSQL transaction and one Redis pipeline per up to
/// <see cref="FeatureProcessorOptions.MaxBatchRecords"/> records) to reach its throughput, so this loop
/// follows the library's patterns itself: a blocking loop on its own thread, cooperative-sticky
/// assignment, offsets stored only after a batch's effects are durable, committed in the background,
/// on revocation and on close.
/// </summary>
public sealed class FeatureProcessorService(
    FeatureBatchProcessor processor,
    IOptions<FeatureProcessorOptions> options,
    IOptions<KafkaOptions> kafka,
    IHostEnvironment environment,
    KafkaClientHealth health,
    IHostApplicationLifetime lifetime,
    ILogger<FeatureProcessorService> logger) : BackgroundService
{
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

    private readonly FeatureProcessorOptions _options = options.Value;
    private readonly KafkaOptions _kafka = kafka.Value;

    // Next offset to commit per owned partition, and the batch being gathered: both touched only on the
    // loop thread (librdkafka calls the rebalance handlers inside Consume, on that thread).
    private readonly HandledOffsets _handled = new(options.Value.GroupId, logger);
    private readonly List<ConsumeResult<byte[]?, byte[]?>> _batch = [];
    private readonly EventTimeAligner _aligner = new(
        options.Value.EffectiveMaxInputSkew, options.Value.MaxInputIdle, options.Value.MaxBatchRecords, TimeProvider.System);

    private string ClientName => $"consumer {_options.GroupId}/features";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        // librdkafka's Consume blocks; keep it off the host's start-up path and on its own thread.
        Task.Run(() => ConsumeLoop(stoppingToken), CancellationToken.None);

    private IConsumer<byte[]?, byte[]?> BuildConsumer()
    {
        var config = new ConsumerConfig(new Dictionary<string, string>(_kafka.Consumer))
        {
            BootstrapServers = _kafka.BootstrapServers,
            GroupId = _options.GroupId,
            ClientId = _kafka.ClientId ?? environment.ApplicationName,
            EnableAutoCommit = true,
            EnableAutoOffsetStore = false,
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
            StatisticsIntervalMs = _kafka.StatisticsIntervalMs,
            // End-of-partition events tell the event-time alignment which partitions are caught up.
            EnablePartitionEof = true,
        };
        config.AutoOffsetReset ??= AutoOffsetReset.Earliest;
        // Batches are fetched ahead while the previous one is being written.
        config.QueuedMinMessages ??= Math.Max(_options.MaxBatchRecords * 2, 10_000);

        return new ConsumerBuilder<byte[]?, byte[]?>(config)
            .SetPartitionsAssignedHandler((_, partitions) =>
            {
                _aligner.Assigned(partitions);
                // Another instance may have changed these customers' state while it owned them.
                processor.ForgetCachedState();
                logger.LogInformation("Assigned {Partitions} in group {Group}", string.Join(", ", partitions), _options.GroupId);
            })
            .SetPartitionsRevokedHandler((consumer, partitions) =>
            {
                var revoked = partitions.Select(partition => partition.TopicPartition).ToHashSet();
                _handled.CommitRevoked(consumer, revoked);
                logger.LogInformation("Revoked {Partitions}", string.Join(", ", partitions));
                Forget(revoked);
            })
            .SetPartitionsLostHandler((_, partitions) =>
            {
                logger.LogWarning("Lost {Partitions}; uncommitted records will be redelivered to their new owner", string.Join(", ", partitions));
                Forget(partitions.Select(partition => partition.TopicPartition).ToHashSet());
            })
            .SetErrorHandler((_, error) =>
            {
                if (error.IsFatal)
                {
                    health.ReportFatal(ClientName, $"{error.Code}: {error.Reason}");
                }
                else
                {
                    logger.LogWarning("Kafka consumer error (librdkafka retries): {Code} {Reason}", error.Code, error.Reason);
                }
            })
            .SetStatisticsHandler((_, json) => MessagingTelemetry.ConsumerLag.Record(_options.GroupId, json))
            .SetLogHandler((_, message) => logger.LogDebug("librdkafka {Facility}: {Message}", message.Facility, message.Message))
            .Build();
    }

    private void ConsumeLoop(CancellationToken stoppingToken)
    {
        using var consumer = BuildConsumer();
        consumer.Subscribe(_options.SourceTopics);
        logger.LogInformation("Processing {Topics} as group {Group} in batches of up to {Records} records / {Delay} ms",
            string.Join(", ", _options.SourceTopics), _options.GroupId, _options.MaxBatchRecords, _options.MaxBatchDelay.TotalMilliseconds);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                Gather(consumer, stoppingToken);
                if (_batch.Count == 0)
                {
                    continue;
                }
                if (!ProcessWithRetries(stoppingToken))
                {
                    break;   // stopping mid-batch: its offsets stay unstored, so it is redelivered
                }
                StoreOffsets(consumer);
                _batch.Clear();

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
            Close(consumer);
        }
    }

    /// <summary>
    /// Consumes for up to <see cref="FeatureProcessorOptions.MaxBatchDelay"/> (or a batch's worth of records), then
    /// fills <see cref="_batch"/> with what the event-time alignment releases.
    /// </summary>
    private void Gather(IConsumer<byte[]?, byte[]?> consumer, CancellationToken stoppingToken)
    {
        var started = Stopwatch.GetTimestamp();
        var received = 0;
        while (received < _options.MaxBatchRecords && !stoppingToken.IsCancellationRequested)
        {
            var timeout = received == 0 && _aligner.Held == 0
                ? IdlePoll
                : _options.MaxBatchDelay - Stopwatch.GetElapsedTime(started);
            if (timeout < TimeSpan.Zero)
            {
                break;
            }
            var record = consumer.Consume(timeout);
            if (record is null)
            {
                break;
            }
            if (record.IsPartitionEOF)
            {
                _aligner.ReachedEnd(record.TopicPartition);
                continue;
            }
            _aligner.Add(record);
            received++;
        }
        stoppingToken.ThrowIfCancellationRequested();
        _aligner.Release(_batch);
        _aligner.ApplyBackPressure(consumer);
    }

    /// <summary>Processes the batch until its effects are durable; false when the service stops first.</summary>
    private bool ProcessWithRetries(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                processor.ProcessAsync(_batch, stoppingToken).GetAwaiter().GetResult();
                return true;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception exception)
            {
                // Stores or broker unavailable, or another instance wrote these customers meanwhile: the
                // batch left nothing half-done in PostgreSQL, so it is simply done again (from fresh state).
                FeatureProcessorTelemetry.BatchRetries.Add(1);
                logger.LogWarning(exception, "Feature batch of {Records} records failed (attempt {Attempt}); retrying in {Delay}",
                    _batch.Count, attempt, delay);
                if (stoppingToken.WaitHandle.WaitOne(delay))
                {
                    return false;
                }
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
    }

    private void StoreOffsets(IConsumer<byte[]?, byte[]?> consumer)
    {
        var next = new Dictionary<TopicPartition, Offset>();
        foreach (var record in _batch)
        {
            next[record.TopicPartition] = record.Offset + 1;   // records of one partition arrive in order
        }
        foreach (var (partition, offset) in next)
        {
            _handled.Store(consumer, new TopicPartitionOffset(partition, offset));
        }
    }

    /// <summary>Drops what belongs to partitions this instance no longer owns: the new owner re-reads them.</summary>
    private void Forget(HashSet<TopicPartition> partitions)
    {
        _batch.RemoveAll(record => partitions.Contains(record.TopicPartition));
        _aligner.Removed(partitions);
        _handled.Forget(partitions);
        processor.ForgetCachedState();
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
