using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Messaging.Health;
using CreditRisk.Messaging.Serialization;
using CreditRisk.Messaging.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

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
    private static readonly Google.Protobuf.Reflection.MessageDescriptor EventType = new TEvent().Descriptor;

    private readonly Subscription<TEvent, THandler> _subscription;
    private readonly KafkaClientFactory _clients;
    private readonly IServiceScopeFactory _scopes;
    private readonly IEventSerializer _serializer;
    private readonly DeadLetterPublisher _deadLetters;
    private readonly KafkaClientHealth _health;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _retry;
    private readonly string _groupId;

    private readonly HandledOffsets _handled;

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
        _subscription = subscription;
        _clients = clients;
        _scopes = scopes;
        _serializer = serializer;
        _deadLetters = deadLetters;
        _health = health;
        _lifetime = lifetime;
        _logger = loggerFactory.CreateLogger($"CreditRisk.Messaging.Subscription.{typeof(THandler).Name}");
        _groupId = subscription.Options.GroupId ?? clients.DefaultGroupId;
        _retry = BuildRetryPipeline(subscription.Options);
        _handled = new HandledOffsets(_groupId, _logger);
    }

    private string Topic => _subscription.Topic;

    /// <summary>Name under which this consumer reports its health.</summary>
    private string ClientName => $"consumer {_groupId}/{Topic}";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        // librdkafka's Consume blocks; keep it off the host's start-up path and on its own thread.
        Task.Run(() => ConsumeLoop(stoppingToken), CancellationToken.None);

    private ResiliencePipeline BuildRetryPipeline(SubscriptionOptions options) => new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = Math.Max(options.MaxRetries, 1),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.InitialRetryDelay,
            MaxDelay = options.MaxRetryDelay,
            ShouldHandle = new PredicateBuilder().Handle<Exception>(exception =>
                options.MaxRetries > 0 && exception is not PoisonEventException and not OperationCanceledException),
            OnRetry = arguments =>
            {
                MessagingTelemetry.HandlerRetries.Add(1, new KeyValuePair<string, object?>(MessagingTelemetry.DestinationTag, Topic));
                _logger.LogWarning(arguments.Outcome.Exception,
                    "Handler {Handler} failed on attempt {Attempt}; retrying in {Delay}",
                    typeof(THandler).Name, arguments.AttemptNumber + 1, arguments.RetryDelay);
                return ValueTask.CompletedTask;
            },
        })
        .Build();

    private IConsumer<byte[]?, byte[]?> BuildConsumer()
    {
        var config = _clients.ConsumerConfig(_groupId);
        config.AutoCommitIntervalMs = _subscription.Options.AutoCommitIntervalMs;
        config.PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky;
        if (_subscription.Options.StartAtLatest)
        {
            config.AutoOffsetReset = AutoOffsetReset.Latest;
        }

        return _clients.ConsumerBuilder(config, ClientName, _logger)
            .SetPartitionsAssignedHandler((_, partitions) =>
                _logger.LogInformation("Assigned {Partitions} of {Topic} in group {Group}", Describe(partitions), Topic, _groupId))
            .SetPartitionsRevokedHandler((consumer, partitions) =>
            {
                _handled.CommitRevoked(consumer, [.. partitions.Select(partition => partition.TopicPartition)]);
                _logger.LogInformation("Revoked {Partitions} of {Topic}", Describe(partitions), Topic);
            })
            .SetPartitionsLostHandler((_, partitions) =>
            {
                // The group moved on without us: our commits would be rejected, the new owner re-reads.
                _logger.LogWarning("Lost {Partitions} of {Topic}; uncommitted records will be redelivered", Describe(partitions), Topic);
                _handled.Forget(partitions.Select(partition => partition.TopicPartition));
            })
            .Build();
    }

    private void ConsumeLoop(CancellationToken stoppingToken)
    {
        using var consumer = BuildConsumer();
        consumer.Subscribe(Topic);
        _logger.LogInformation("Consuming {Topic} as group {Group} with {Handler}", Topic, _groupId, typeof(THandler).Name);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var record = consumer.ConsumeReportingErrors(stoppingToken, _groupId, Topic, _logger);
                if (record is null || record.IsPartitionEOF)
                {
                    continue;
                }
                if (!ProcessAsync(record, stoppingToken).GetAwaiter().GetResult())
                {
                    break;   // stopping mid-record: leave its offset unstored so it is redelivered
                }
                _handled.Store(consumer, new TopicPartitionOffset(record.TopicPartition, record.Offset + 1));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown.
        }
        catch (KafkaException exception) when (exception.Error.IsFatal)
        {
            _health.ReportFatal(ClientName, $"{exception.Error.Code}: {exception.Error.Reason}");
            _logger.LogCritical(exception, "Fatal Kafka error consuming {Topic} as {Group}; stopping the service", Topic, _groupId);
            _lifetime.StopApplication();
        }
        finally
        {
            Close(consumer);
        }
    }

    /// <summary>Handles one record to completion (handled or dead-lettered); false when stopped first.</summary>
    private async Task<bool> ProcessAsync(ConsumeResult<byte[]?, byte[]?> record, CancellationToken stoppingToken)
    {
        var parent = TraceContextPropagation.Extract(record.Message.Headers);
        using var activity = MessagingTelemetry.ActivitySource.StartActivity(
            $"process {record.Topic}",
            ActivityKind.Consumer,
            parent,
            links: parent == default ? null : [new ActivityLink(parent)]);
        activity?.SetTag(MessagingTelemetry.SystemTag, "kafka");
        activity?.SetTag(MessagingTelemetry.DestinationTag, record.Topic);
        activity?.SetTag(MessagingTelemetry.PartitionTag, record.Partition.Value.ToString(CultureInfo.InvariantCulture));
        activity?.SetTag(MessagingTelemetry.KafkaOffsetTag, record.Offset.Value);
        activity?.SetTag(MessagingTelemetry.ConsumerGroupTag, _groupId);
        activity?.SetTag(MessagingTelemetry.OperationTypeTag, "process");
        activity?.SetTag(MessagingTelemetry.OperationNameTag, "process");

        TEvent @event;
        try
        {
            @event = Deserialize(record);
            activity?.SetTag(MessagingTelemetry.MessageIdTag, @event.Envelope.EventId);
        }
        catch (EventDeserializationException exception)
        {
            activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
            return await DeadLetterAsync(record, DeadLetter.From(exception, _groupId, attempts: 0), stoppingToken);
        }

        var started = Stopwatch.GetTimestamp();
        var attempts = 0;
        try
        {
            await _retry.ExecuteAsync(async token =>
            {
                attempts++;
                await using var scope = _scopes.CreateAsyncScope();
                var handler = scope.ServiceProvider.GetRequiredService<THandler>();
                var context = new EventContext(
                    record.Topic, record.Partition.Value, record.Offset.Value, KeyOf(record), record.Message.Timestamp.UtcDateTime, _groupId, attempts);
                await handler.HandleAsync(@event, context, token);
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
            return await DeadLetterAsync(record, DeadLetter.From(exception, _groupId, attempts), stoppingToken);
        }
        finally
        {
            MessagingTelemetry.HandlerDuration.Record(
                Stopwatch.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>(MessagingTelemetry.DestinationTag, record.Topic),
                new KeyValuePair<string, object?>(MessagingTelemetry.ConsumerGroupTag, _groupId));
        }

        MessagingTelemetry.RecordsConsumed.Add(
            1,
            new KeyValuePair<string, object?>(MessagingTelemetry.DestinationTag, record.Topic),
            new KeyValuePair<string, object?>(MessagingTelemetry.ConsumerGroupTag, _groupId));
        return true;
    }

    private TEvent Deserialize(ConsumeResult<byte[]?, byte[]?> record)
    {
        var headers = record.Message.Headers;
        if (headers is not null && headers.TryGetLastBytes(MessageHeaders.MessageType, out var typeBytes))
        {
            var messageType = Encoding.UTF8.GetString(typeBytes);
            if (messageType != EventType.FullName)
            {
                throw new EventDeserializationException($"expected {EventType.FullName} but the record holds {messageType}");
            }
        }
        if (record.Message.Value is null)
        {
            throw new EventDeserializationException("the record has no value (tombstone)");
        }
        return (TEvent)_serializer.Deserialize(record.Message.Value, EventType);
    }

    private async Task<bool> DeadLetterAsync(ConsumeResult<byte[]?, byte[]?> record, DeadLetter deadLetter, CancellationToken stoppingToken)
    {
        try
        {
            await _deadLetters.SendAsync(record, deadLetter, stoppingToken);
            return true;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private void Close(IConsumer<byte[]?, byte[]?> consumer)
    {
        try
        {
            // Close commits the stored offsets (auto-commit) and leaves the group, so it rebalances at once.
            consumer.Close();
            _logger.LogInformation("Closed consumer of {Topic} in group {Group}", Topic, _groupId);
        }
        catch (KafkaException exception)
        {
            _logger.LogWarning(exception, "Closing the consumer of {Topic} failed", Topic);
        }
    }

    private static string? KeyOf(ConsumeResult<byte[]?, byte[]?> record) =>
        record.Message.Key is { } key ? Encoding.UTF8.GetString(key) : null;

    private static string Describe<T>(IEnumerable<T> partitions) => string.Join(", ", partitions);
}
