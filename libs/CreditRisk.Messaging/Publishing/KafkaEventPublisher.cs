using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Contracts.Topics;
using CreditRisk.Messaging.Serialization;
using CreditRisk.Messaging.Telemetry;
using Google.Protobuf.Reflection;

namespace CreditRisk.Messaging.Publishing;

public sealed class KafkaEventPublisher(KafkaProducerConnection connection, IEventSerializer serializer) : IEventPublisher
{
    // Header values that repeat on every record (type names, versions) are encoded once; Kafka only
    // reads them, so sharing the arrays between records is safe.
    private static readonly ConcurrentDictionary<string, byte[]> EncodedHeaderValues = new();

    private static byte[] Utf8(string value) => EncodedHeaderValues.GetOrAdd(value, static text => Encoding.UTF8.GetBytes(text));

    public Task<PublishedEvent> PublishAsync<TEvent>(TEvent @event, CancellationToken cancellationToken = default)
        where TEvent : IIntegrationEvent =>
        PublishAsync(@event, TopicCatalogue.For(@event.Descriptor).Name, cancellationToken);

    public async Task<PublishedEvent> PublishAsync(IIntegrationEvent @event, string topic, CancellationToken cancellationToken = default)
    {
        var envelope = ValidEnvelope(@event);
        using var activity = StartSendActivity(topic);
        if (activity is not null)
        {
            activity.SetTag(MessagingTelemetry.MessageIdTag, envelope.EventId);
            activity.SetTag(MessagingTelemetry.KafkaKeyTag, envelope.EntityKey);
        }
        var message = ToMessage(serializer.Serialize(@event), envelope, SharedHeaders(@event.Descriptor, envelope, activity));
        try
        {
            var delivery = await connection.Producer.ProduceAsync(topic, message, cancellationToken);
            activity?.SetTag(MessagingTelemetry.PartitionTag, delivery.Partition.Value.ToString(CultureInfo.InvariantCulture));
            activity?.SetTag(MessagingTelemetry.KafkaOffsetTag, delivery.Offset.Value);
            MessagingTelemetry.RecordsProduced.Add(1, new KeyValuePair<string, object?>(MessagingTelemetry.DestinationTag, topic));
            return new PublishedEvent(delivery.Topic, delivery.Partition.Value, delivery.Offset.Value);
        }
        catch (ProduceException<byte[]?, byte[]?> exception)
        {
            activity?.SetStatus(ActivityStatusCode.Error, exception.Error.Reason);
            activity?.SetTag(MessagingTelemetry.ErrorTypeTag, exception.Error.Code.ToString());
            throw;
        }
    }

    /// <summary>
    /// One producer span for the batch (its trace context goes into every record), records handed to librdkafka
    /// with a delivery callback instead of a task each: a batch costs one task, not one per record.
    /// </summary>
    public Task PublishBatchAsync(IReadOnlyList<IIntegrationEvent> events, string topic, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        // All or nothing is handed over: a bad event refuses the batch before any record is produced.
        var envelopes = events.Select(ValidEnvelope).ToArray();
        return ProduceBatchAsync(events.Count, i => (events[i].Descriptor, envelopes[i]), i => serializer.Serialize(events[i]), topic, cancellationToken);
    }

    /// <summary>As the batch above, each record's trace context its origin's; the batch's span links to the origins.</summary>
    public Task PublishBatchAsync(IReadOnlyList<TracedEvent> events, string topic, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        var envelopes = events.Select(traced => ValidEnvelope(traced.Event)).ToArray();
        return ProduceBatchAsync(events.Count, i => (events[i].Event.Descriptor, envelopes[i]), i => serializer.Serialize(events[i].Event), topic, cancellationToken,
            i => events[i].Origin);
    }

    public Task PublishBatchAsync(IReadOnlyList<EncodedEvent> events, string topic, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var @event in events)
        {
            ArgumentNullException.ThrowIfNull(@event);
            ValidEnvelope(@event.Type, @event.Envelope);
        }
        return ProduceBatchAsync(events.Count, i => (events[i].Type, events[i].Envelope), i => serializer.Frame(events[i].Type, events[i].Protobuf), topic, cancellationToken);
    }

    private const int MaxOriginLinks = 128;

    private async Task ProduceBatchAsync(
        int count, Func<int, (MessageDescriptor Type, EventEnvelope Envelope)> describe, Func<int, byte[]> value, string topic, CancellationToken cancellationToken,
        Func<int, ActivityContext>? origin = null)
    {
        if (count == 0)
        {
            return;
        }
        IEnumerable<ActivityLink>? links = null;
        if (origin is not null && MessagingTelemetry.ActivitySource.HasListeners())
        {
            links = Enumerable.Range(0, count).Select(origin).Where(context => context != default).Distinct().Take(MaxOriginLinks)
                .Select(context => new ActivityLink(context)).ToList();
        }
        using var activity = StartSendActivity(topic, links);
        activity?.SetTag(MessagingTelemetry.BatchMessageCountTag, count);
        var delivered = new BatchDelivery(count);
        Action<DeliveryReport<byte[]?, byte[]?>> report = delivered.Report;   // one delegate per batch, not per record
        // The headers that do not vary within a batch (type, schema version, content type, the span's trace context)
        // are built once per event type; Kafka only reads them.
        var shared = new Dictionary<(string Type, int SchemaVersion), Header[]>();
        for (var i = 0; i < count; i++)
        {
            var (type, envelope) = describe(i);
            var typeKey = (type.FullName, envelope.SchemaVersion);
            if (!shared.TryGetValue(typeKey, out var headers))
            {
                shared[typeKey] = headers = SharedHeaders(type, envelope, activity);
            }
            var message = ToMessage(value(i), envelope, headers);
            if (origin?.Invoke(i) is { } context && context != default)
            {
                TraceContextPropagation.Inject(context, message.Headers);
            }
            while (true)
            {
                try
                {
                    connection.Producer.Produce(topic, message, report);
                    break;
                }
                catch (ProduceException<byte[]?, byte[]?> exception) when (exception.Error.Code == ErrorCode.Local_QueueFull)
                {
                    // librdkafka's queue is full: wait for deliveries to make room.
                    await Task.Delay(TimeSpan.FromMilliseconds(5), cancellationToken);
                }
            }
        }
        // librdkafka holds copies of the records now. Dropping what built them lets the batch's events be collected
        // while the broker acknowledges (with acks=all, a round of replication), rather than survive garbage
        // collections meanwhile: the features service keeps up to ten batches in flight.
        describe = null!;
        value = null!;
        origin = null;
        try
        {
            await delivered.Task.WaitAsync(cancellationToken);
            MessagingTelemetry.RecordsProduced.Add(count, new KeyValuePair<string, object?>(MessagingTelemetry.DestinationTag, topic));
        }
        catch (ProduceException<byte[]?, byte[]?> exception)
        {
            activity?.SetStatus(ActivityStatusCode.Error, exception.Error.Reason);
            activity?.SetTag(MessagingTelemetry.ErrorTypeTag, exception.Error.Code.ToString());
            throw;
        }
    }

    private static EventEnvelope ValidEnvelope(IIntegrationEvent @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        return ValidEnvelope(@event.Descriptor, @event.Envelope);
    }

    private static EventEnvelope ValidEnvelope(MessageDescriptor type, EventEnvelope? envelope)
    {
        if (envelope is null || string.IsNullOrEmpty(envelope.EventId) || string.IsNullOrEmpty(envelope.EntityKey))
        {
            throw new ArgumentException($"{type.Name} needs an envelope with an event id and an entity key.", "event");
        }
        return envelope;
    }

    private static Activity? StartSendActivity(string topic, IEnumerable<ActivityLink>? links = null)
    {
        var activity = MessagingTelemetry.ActivitySource.StartActivity($"send {topic}", ActivityKind.Producer, parentContext: default, links: links);
        if (activity is not null)
        {
            activity.SetTag(MessagingTelemetry.SystemTag, "kafka");
            activity.SetTag(MessagingTelemetry.DestinationTag, topic);
            activity.SetTag(MessagingTelemetry.OperationTypeTag, "send");
            activity.SetTag(MessagingTelemetry.OperationNameTag, "send");
        }
        return activity;
    }

    /// <summary>The headers every record of this type carries in this span.</summary>
    private Header[] SharedHeaders(MessageDescriptor type, EventEnvelope envelope, Activity? activity)
    {
        var headers = new Headers
        {
            { MessageHeaders.MessageType, Utf8(type.FullName) },
            { MessageHeaders.SchemaVersion, Utf8(envelope.SchemaVersion.ToString(CultureInfo.InvariantCulture)) },
            { MessageHeaders.ContentType, Utf8(serializer.ContentType) },
        };
        TraceContextPropagation.Inject(activity, headers);
        return headers.Select(header => new Header(header.Key, header.GetValueBytes())).ToArray();
    }

    private static Message<byte[]?, byte[]?> ToMessage(byte[] value, EventEnvelope envelope, Header[] sharedHeaders)
    {
        var headers = new Headers();
        foreach (var header in sharedHeaders)
        {
            headers.Add(header);
        }
        headers.Add(MessageHeaders.EventId, Encoding.UTF8.GetBytes(envelope.EventId));
        return new Message<byte[]?, byte[]?>
        {
            Key = Encoding.UTF8.GetBytes(envelope.EntityKey),
            Value = value,
            Headers = headers,
        };
    }

    /// <summary>Completes when every record of a batch is acknowledged, or faults with the first failure once all have reported.</summary>
    private sealed class BatchDelivery(int count)
    {
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _remaining = count;
        private DeliveryReport<byte[]?, byte[]?>? _firstFailure;

        public Task Task => _done.Task;

        public void Report(DeliveryReport<byte[]?, byte[]?> report)
        {
            if (report.Error.IsError)
            {
                Interlocked.CompareExchange(ref _firstFailure, report, null);
            }
            if (Interlocked.Decrement(ref _remaining) == 0)
            {
                if (_firstFailure is { } failure)
                {
                    _done.TrySetException(new ProduceException<byte[]?, byte[]?>(failure.Error, failure));
                }
                else
                {
                    _done.TrySetResult();
                }
            }
        }
    }
}
