using System.Text;
using Confluent.Kafka;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Messaging.Health;
using CreditRisk.Messaging.Serialization;
using CreditRisk.Messaging.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace CreditRisk.Messaging.Consuming;

/// <summary>
/// What the one-by-one and the batch subscription services share: the consumer with its rebalance handlers and
/// handled offsets, deserialising with the message-type check, the handler's retry pipeline, dead-lettering, the
/// consume loop's fatal-error handling and closing.
/// </summary>
internal sealed class SubscriptionConsumer<TEvent> where TEvent : IIntegrationEvent, new()
{
    private static readonly Google.Protobuf.Reflection.MessageDescriptor EventType = new TEvent().Descriptor;

    private readonly KafkaClientFactory _clients;
    private readonly IEventSerializer _serializer;
    private readonly DeadLetterPublisher _deadLetters;
    private readonly KafkaClientHealth _health;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly SubscriptionOptions _options;

    public SubscriptionConsumer(
        SubscriptionOptions options, string topic, string handlerName, KafkaClientFactory clients, IEventSerializer serializer,
        DeadLetterPublisher deadLetters, KafkaClientHealth health, IHostApplicationLifetime lifetime, ILoggerFactory loggerFactory)
    {
        _options = options;
        _clients = clients;
        _serializer = serializer;
        _deadLetters = deadLetters;
        _health = health;
        _lifetime = lifetime;
        Topic = topic;
        HandlerName = handlerName;
        Logger = loggerFactory.CreateLogger($"CreditRisk.Messaging.Subscription.{handlerName}");
        GroupId = options.GroupId ?? clients.DefaultGroupId;
        Handled = new HandledOffsets(GroupId, Logger);
        Retry = BuildRetryPipeline();
    }

    public string Topic { get; }
    public string GroupId { get; }
    public string HandlerName { get; }
    public ILogger Logger { get; }
    public HandledOffsets Handled { get; }
    public ResiliencePipeline Retry { get; }

    /// <summary>Name under which this consumer reports its health.</summary>
    private string ClientName => $"consumer {GroupId}/{Topic}";

    /// <summary>
    /// Runs <paramref name="loop"/> with a subscribed consumer until it returns or the service stops; a fatal client
    /// error stops the application; the consumer is closed either way.
    /// </summary>
    public void Run(Action<IConsumer<byte[]?, byte[]?>> loop, CancellationToken stoppingToken)
    {
        using var consumer = BuildConsumer();
        consumer.Subscribe(Topic);
        Logger.LogInformation("Consuming {Topic} as group {Group} with {Handler}", Topic, GroupId, HandlerName);
        try
        {
            loop(consumer);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown.
        }
        catch (KafkaException exception) when (exception.Error.IsFatal)
        {
            _health.ReportFatal(ClientName, $"{exception.Error.Code}: {exception.Error.Reason}");
            Logger.LogCritical(exception, "Fatal Kafka error consuming {Topic} as {Group}; stopping the service", Topic, GroupId);
            _lifetime.StopApplication();
        }
        finally
        {
            Close(consumer);
        }
    }

    public ConsumeResult<byte[]?, byte[]?>? Consume(IConsumer<byte[]?, byte[]?> consumer, CancellationToken stoppingToken) =>
        consumer.ConsumeReportingErrors(stoppingToken, GroupId, Topic, Logger);

    public ConsumeResult<byte[]?, byte[]?>? Consume(IConsumer<byte[]?, byte[]?> consumer, TimeSpan timeout) =>
        consumer.ConsumeReportingErrors(timeout, GroupId, Topic, Logger);

    public TEvent Deserialize(ConsumeResult<byte[]?, byte[]?> record)
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

    public EventContext ContextOf(ConsumeResult<byte[]?, byte[]?> record, int attempt) => new(
        record.Topic, record.Partition.Value, record.Offset.Value, KeyOf(record), record.Message.Timestamp.UtcDateTime, GroupId, attempt);

    /// <summary>Sends the record to its dead-letter topic; false when stopped first.</summary>
    public async Task<bool> DeadLetterAsync(ConsumeResult<byte[]?, byte[]?> record, DeadLetter deadLetter, CancellationToken stoppingToken)
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

    private ResiliencePipeline BuildRetryPipeline() => new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = Math.Max(_options.MaxRetries, 1),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = _options.InitialRetryDelay,
            MaxDelay = _options.MaxRetryDelay,
            ShouldHandle = new PredicateBuilder().Handle<Exception>(exception =>
                _options.MaxRetries > 0 && exception is not PoisonEventException and not OperationCanceledException),
            OnRetry = arguments =>
            {
                MessagingTelemetry.HandlerRetries.Add(1, new KeyValuePair<string, object?>(MessagingTelemetry.DestinationTag, Topic));
                Logger.LogWarning(arguments.Outcome.Exception,
                    "Handler {Handler} failed on attempt {Attempt}; retrying in {Delay}",
                    HandlerName, arguments.AttemptNumber + 1, arguments.RetryDelay);
                return ValueTask.CompletedTask;
            },
        })
        .Build();

    private IConsumer<byte[]?, byte[]?> BuildConsumer()
    {
        var config = _clients.ConsumerConfig(GroupId);
        config.AutoCommitIntervalMs = _options.AutoCommitIntervalMs;
        config.PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky;
        if (_options.StartAtLatest)
        {
            config.AutoOffsetReset = AutoOffsetReset.Latest;
        }

        return _clients.ConsumerBuilder(config, ClientName, Logger)
            .SetPartitionsAssignedHandler((_, partitions) =>
                Logger.LogInformation("Assigned {Partitions} of {Topic} in group {Group}", Describe(partitions), Topic, GroupId))
            .SetPartitionsRevokedHandler((consumer, partitions) =>
            {
                Handled.CommitRevoked(consumer, [.. partitions.Select(partition => partition.TopicPartition)]);
                Logger.LogInformation("Revoked {Partitions} of {Topic}", Describe(partitions), Topic);
            })
            .SetPartitionsLostHandler((_, partitions) =>
            {
                // The group moved on without us: our commits would be rejected, the new owner re-reads.
                Logger.LogWarning("Lost {Partitions} of {Topic}; uncommitted records will be redelivered", Describe(partitions), Topic);
                Handled.Forget(partitions.Select(partition => partition.TopicPartition));
            })
            .Build();
    }

    private void Close(IConsumer<byte[]?, byte[]?> consumer)
    {
        try
        {
            // Close commits the stored offsets (auto-commit) and leaves the group, so it rebalances at once.
            consumer.Close();
            Logger.LogInformation("Closed consumer of {Topic} in group {Group}", Topic, GroupId);
        }
        catch (KafkaException exception)
        {
            Logger.LogWarning(exception, "Closing the consumer of {Topic} failed", Topic);
        }
    }

    private static string? KeyOf(ConsumeResult<byte[]?, byte[]?> record) =>
        record.Message.Key is { } key ? Encoding.UTF8.GetString(key) : null;

    private static string Describe<T>(IEnumerable<T> partitions) => string.Join(", ", partitions);
}
