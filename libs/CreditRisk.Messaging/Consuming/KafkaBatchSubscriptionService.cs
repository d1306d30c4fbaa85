using System.Diagnostics;
using Confluent.Kafka;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Messaging.Health;
using CreditRisk.Messaging.Serialization;
using CreditRisk.Messaging.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CreditRisk.Messaging.Consuming;

/// <summary>
/// Consumes one subscription's topic a batch at a time: gathers up to MaxBatchSize records (waiting at most
/// MaxBatchWait after the first), dead-letters those that do not deserialise, hands the rest to a scoped
/// <typeparamref name="THandler"/> with the subscription's retries, dead-letters what it rejects (or, retries exhausted,
/// the whole batch), and only then stores each partition's offset. Stopping mid-batch stores nothing of it.
/// Each record gets a short "receive" span parented on its producer's; the batch's "process" span links to them.
/// </summary>
public sealed class KafkaBatchSubscriptionService<TEvent, THandler> : BackgroundService
    where TEvent : IIntegrationEvent, new()
    where THandler : class, IEventBatchHandler<TEvent>
{
    private const int MaxLinks = 128;

    private readonly BatchSubscriptionOptions _options;
    private readonly IServiceScopeFactory _scopes;
    private readonly SubscriptionConsumer<TEvent> _consumer;

    public KafkaBatchSubscriptionService(
        BatchSubscription<TEvent, THandler> subscription,
        KafkaClientFactory clients,
        IServiceScopeFactory scopes,
        IEventSerializer serializer,
        DeadLetterPublisher deadLetters,
        KafkaClientHealth health,
        IHostApplicationLifetime lifetime,
        ILoggerFactory loggerFactory)
    {
        _options = subscription.Options;
        _scopes = scopes;
        _consumer = new SubscriptionConsumer<TEvent>(
            subscription.Options.Subscription, subscription.Topic, typeof(THandler).Name, clients, serializer, deadLetters, health, lifetime, loggerFactory);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        // librdkafka's Consume blocks: off the host's start-up path and off the thread pool.
        ConsumeLoopThread.Start($"consume {typeof(TEvent).Name}", () => _consumer.Run(consumer => ConsumeLoop(consumer, stoppingToken), stoppingToken));

    private void ConsumeLoop(IConsumer<byte[]?, byte[]?> consumer, CancellationToken stoppingToken)
    {
        var batch = new List<ConsumeResult<byte[]?, byte[]?>>(_options.MaxBatchSize);
        while (!stoppingToken.IsCancellationRequested)
        {
            batch.Clear();
            Gather(consumer, batch, stoppingToken);
            if (batch.Count == 0 || stoppingToken.IsCancellationRequested)
            {
                continue;   // nothing gathered, or stopping: an unstarted batch is simply redelivered
            }
            if (!ProcessAsync(batch, stoppingToken).GetAwaiter().GetResult())
            {
                break;   // stopping mid-batch: leave its offsets unstored so it is redelivered
            }
            foreach (var partition in batch.GroupBy(record => record.TopicPartition))
            {
                var last = partition.Max(record => record.Offset.Value);
                _consumer.Handled.Store(consumer, new TopicPartitionOffset(partition.Key, last + 1));
            }
        }
    }

    /// <summary>Blocks for the first record, then takes what arrives within MaxBatchWait of it, up to MaxBatchSize.</summary>
    private void Gather(IConsumer<byte[]?, byte[]?> consumer, List<ConsumeResult<byte[]?, byte[]?>> batch, CancellationToken stoppingToken)
    {
        var first = _consumer.Consume(consumer, stoppingToken);
        if (first is null || first.IsPartitionEOF)
        {
            return;
        }
        batch.Add(first);
        var waiting = Stopwatch.StartNew();
        while (batch.Count < _options.MaxBatchSize && !stoppingToken.IsCancellationRequested)
        {
            var left = _options.MaxBatchWait - waiting.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                break;
            }
            // Null on a timeout or after a recoverable error; the loop's condition ends the wait.
            var next = _consumer.Consume(consumer, left);
            if (next is not null && !next.IsPartitionEOF)
            {
                batch.Add(next);
            }
        }
    }

    /// <summary>Handles the batch to completion (handled or dead-lettered); false when stopped first.</summary>
    private async Task<bool> ProcessAsync(List<ConsumeResult<byte[]?, byte[]?>> records, CancellationToken stoppingToken)
    {
        var events = new List<ConsumedEvent<TEvent>>(records.Count);
        var sources = new List<ConsumeResult<byte[]?, byte[]?>>(records.Count);
        var links = new List<ActivityLink>();
        foreach (var record in records)
        {
            using var recordActivity = MessagingTelemetry.StartRecordActivity(record, _consumer.GroupId, "receive");
            try
            {
                var @event = _consumer.Deserialize(record);
                recordActivity?.SetTag(MessagingTelemetry.MessageIdTag, @event.Envelope.EventId);
                events.Add(new ConsumedEvent<TEvent>(@event, _consumer.ContextOf(record, attempt: 1)));
                sources.Add(record);
                if (recordActivity is not null && links.Count < MaxLinks)
                {
                    links.Add(new ActivityLink(recordActivity.Context));
                }
            }
            catch (EventDeserializationException exception)
            {
                recordActivity?.SetStatus(ActivityStatusCode.Error, exception.Message);
                if (!await _consumer.DeadLetterAsync(record, DeadLetter.From(exception, _consumer.GroupId, attempts: 0), stoppingToken))
                {
                    return false;
                }
            }
        }
        if (events.Count == 0)
        {
            return true;
        }

        // A root span of its own: the batch's records come from many traces, each reachable through its link.
        using var activity = MessagingTelemetry.ActivitySource.StartActivity(
            $"process {_consumer.Topic}", ActivityKind.Consumer, parentContext: default, links: links);
        activity?.SetTag(MessagingTelemetry.SystemTag, "kafka");
        activity?.SetTag(MessagingTelemetry.DestinationTag, _consumer.Topic);
        activity?.SetTag(MessagingTelemetry.ConsumerGroupTag, _consumer.GroupId);
        activity?.SetTag(MessagingTelemetry.OperationTypeTag, "process");
        activity?.SetTag(MessagingTelemetry.OperationNameTag, "process");
        activity?.SetTag(MessagingTelemetry.BatchMessageCountTag, events.Count);

        var started = Stopwatch.GetTimestamp();
        var attempts = 0;
        IReadOnlyList<EventRejection> rejections;
        try
        {
            rejections = await _consumer.Retry.ExecuteAsync(async token =>
            {
                attempts++;
                var batch = attempts == 1 ? events : [.. events.Select(consumed => consumed with { Context = consumed.Context with { Attempt = attempts } })];
                await using var scope = _scopes.CreateAsyncScope();
                var handler = scope.ServiceProvider.GetRequiredService<THandler>();
                return await handler.HandleBatchAsync(batch, token);
            }, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception exception)
        {
            activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
            activity?.SetTag(MessagingTelemetry.ErrorTypeTag, exception.GetType().FullName);
            var deadLetter = DeadLetter.From(exception, _consumer.GroupId, attempts);
            foreach (var record in sources)
            {
                if (!await _consumer.DeadLetterAsync(record, deadLetter, stoppingToken))
                {
                    return false;
                }
            }
            return true;
        }
        finally
        {
            MessagingTelemetry.HandlerDuration.Record(
                Stopwatch.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>(MessagingTelemetry.DestinationTag, _consumer.Topic),
                new KeyValuePair<string, object?>(MessagingTelemetry.ConsumerGroupTag, _consumer.GroupId));
        }

        // A record rejected twice is dead-lettered once; an index outside the batch is a handler bug, logged, not fatal:
        // the batch's effect is committed, and stopping the consumer for it would stop every other record too.
        var rejected = new Dictionary<int, string>();
        foreach (var rejection in rejections)
        {
            if (rejection.Index < 0 || rejection.Index >= sources.Count)
            {
                _consumer.Logger.LogError("{Handler} rejected index {Index} of a batch of {Count}; ignored", typeof(THandler).Name, rejection.Index, sources.Count);
                continue;
            }
            rejected.TryAdd(rejection.Index, rejection.Reason);
        }
        foreach (var (index, reason) in rejected.OrderBy(entry => entry.Key))
        {
            var deadLetter = new DeadLetter(reason, typeof(EventRejection).FullName!, _consumer.GroupId, attempts);
            if (!await _consumer.DeadLetterAsync(sources[index], deadLetter, stoppingToken))
            {
                return false;
            }
        }
        MessagingTelemetry.RecordsConsumed.Add(
            events.Count - rejected.Count,
            new KeyValuePair<string, object?>(MessagingTelemetry.DestinationTag, _consumer.Topic),
            new KeyValuePair<string, object?>(MessagingTelemetry.ConsumerGroupTag, _consumer.GroupId));
        return true;
    }
}
