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
/// Consumes one subscription's topic: deserialise, trace, handle in a fresh DI scope with bounded
/// retries, dead-letter what cannot be handled, and only then store the offset. Offsets are committed
/// in the background, on revocation and on shutdown — so every stored offset is an effect that is done
/// (at-least-once; handlers are idempotent). An error Consume reports that librdkafka recovers from is logged and
/// counted and consuming goes on (<see cref="ConsumeErrors"/>); only a fatal one stops the service.
/// </summary>
public sealed class KafkaSubscriptionService<TEvent, THandler> : BackgroundService
    where TEvent : IIntegrationEvent, new()
    where THandler : class, IEventHandler<TEvent>
{
    private readonly IServiceScopeFactory _scopes;
    private readonly SubscriptionConsumer<TEvent> _consumer;

    public KafkaSubscriptionService(
        Subscription<TEvent, THandler> subscription,
        KafkaClientFactory clients,
        IServiceScopeFactory scopes,
        IEventSerializer serializer,
        DeadLetterPublisher deadLetters,
        KafkaClientHealth health,
        IHostApplicationLifetime lifetime,
        ILoggerFactory loggerFactory)
    {
        _scopes = scopes;
        _consumer = new SubscriptionConsumer<TEvent>(
            subscription.Options, subscription.Topic, typeof(THandler).Name, clients, serializer, deadLetters, health, lifetime, loggerFactory);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        // librdkafka's Consume blocks: off the host's start-up path and off the thread pool.
        ConsumeLoopThread.Start($"consume {typeof(TEvent).Name}", () => _consumer.Run(consumer => ConsumeLoop(consumer, stoppingToken), stoppingToken));

    private void ConsumeLoop(IConsumer<byte[]?, byte[]?> consumer, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var record = _consumer.Consume(consumer, stoppingToken);
            if (record is null || record.IsPartitionEOF)
            {
                continue;
            }
            if (!ProcessAsync(record, stoppingToken).GetAwaiter().GetResult())
            {
                break;   // stopping mid-record: leave its offset unstored so it is redelivered
            }
            _consumer.Handled.Store(consumer, new TopicPartitionOffset(record.TopicPartition, record.Offset + 1));
        }
    }

    /// <summary>Handles one record to completion (handled or dead-lettered); false when stopped first.</summary>
    private async Task<bool> ProcessAsync(ConsumeResult<byte[]?, byte[]?> record, CancellationToken stoppingToken)
    {
        using var activity = MessagingTelemetry.StartRecordActivity(record, _consumer.GroupId, "process");

        TEvent @event;
        try
        {
            @event = _consumer.Deserialize(record);
            activity?.SetTag(MessagingTelemetry.MessageIdTag, @event.Envelope.EventId);
        }
        catch (EventDeserializationException exception)
        {
            activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
            return await _consumer.DeadLetterAsync(record, DeadLetter.From(exception, _consumer.GroupId, attempts: 0), stoppingToken);
        }

        var started = Stopwatch.GetTimestamp();
        var attempts = 0;
        try
        {
            await _consumer.Retry.ExecuteAsync(async token =>
            {
                attempts++;
                await using var scope = _scopes.CreateAsyncScope();
                var handler = scope.ServiceProvider.GetRequiredService<THandler>();
                await handler.HandleAsync(@event, _consumer.ContextOf(record, attempts), token);
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
            return await _consumer.DeadLetterAsync(record, DeadLetter.From(exception, _consumer.GroupId, attempts), stoppingToken);
        }
        finally
        {
            MessagingTelemetry.HandlerDuration.Record(
                Stopwatch.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>(MessagingTelemetry.DestinationTag, record.Topic),
                new KeyValuePair<string, object?>(MessagingTelemetry.ConsumerGroupTag, _consumer.GroupId));
        }

        MessagingTelemetry.RecordsConsumed.Add(
            1,
            new KeyValuePair<string, object?>(MessagingTelemetry.DestinationTag, record.Topic),
            new KeyValuePair<string, object?>(MessagingTelemetry.ConsumerGroupTag, _consumer.GroupId));
        return true;
    }
}
