using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Contracts.Topics;
using CreditRisk.Messaging.Serialization;
using CreditRisk.Messaging.Telemetry;

namespace CreditRisk.Messaging.Publishing;

public sealed class KafkaEventPublisher(KafkaProducerConnection connection, IEventSerializer serializer) : IEventPublisher
{
    // Header values that repeat on every record (type names, versions) are encoded once; Kafka only
    // reads them, so sharing the arrays between records is safe.
    private static readonly ConcurrentDictionary<string, byte[]> EncodedHeaderValues = new();

    private static byte[] Utf8(string value) => EncodedHeaderValues.GetOrAdd(value, Encoding.UTF8.GetBytes);

    public Task<PublishedEvent> PublishAsync<TEvent>(TEvent @event, CancellationToken cancellationToken = default)
        where TEvent : IIntegrationEvent =>
        PublishAsync(@event, TopicCatalogue.For(@event.Descriptor).Name, cancellationToken);

    public async Task<PublishedEvent> PublishAsync(IIntegrationEvent @event, string topic, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var envelope = @event.Envelope;
        if (envelope is null || string.IsNullOrEmpty(envelope.EventId) || string.IsNullOrEmpty(envelope.EntityKey))
        {
            throw new ArgumentException($"{@event.Descriptor.Name} needs an envelope with an event id and an entity key.", nameof(@event));
        }

        using var activity = MessagingTelemetry.ActivitySource.StartActivity($"send {topic}", ActivityKind.Producer);
        if (activity is not null)
        {
            activity.SetTag(MessagingTelemetry.SystemTag, "kafka");
            activity.SetTag(MessagingTelemetry.DestinationTag, topic);
            activity.SetTag(MessagingTelemetry.OperationTypeTag, "send");
            activity.SetTag(MessagingTelemetry.OperationNameTag, "send");
            activity.SetTag(MessagingTelemetry.MessageIdTag, envelope.EventId);
            activity.SetTag(MessagingTelemetry.KafkaKeyTag, envelope.EntityKey);
        }

        var headers = new Headers
        {
            { MessageHeaders.MessageType, Utf8(@event.Descriptor.FullName) },
            { MessageHeaders.SchemaVersion, Utf8(envelope.SchemaVersion.ToString(CultureInfo.InvariantCulture)) },
            { MessageHeaders.ContentType, Utf8(serializer.ContentType) },
            { MessageHeaders.EventId, Encoding.UTF8.GetBytes(envelope.EventId) },
        };
        TraceContextPropagation.Inject(activity, headers);

        var message = new Message<byte[]?, byte[]?>
        {
            Key = Encoding.UTF8.GetBytes(envelope.EntityKey),
            Value = serializer.Serialize(@event),
            Headers = headers,
        };

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
}
