using CreditRisk.Contracts.Events.V1;

namespace CreditRisk.Messaging.Publishing;

/// <summary>Publishes integration events to their catalogue topic, keyed by the envelope's entity key.</summary>
public interface IEventPublisher
{
    /// <summary>Completes when the broker has acknowledged the event (acks=all); throws when it cannot be delivered.</summary>
    Task<PublishedEvent> PublishAsync<TEvent>(TEvent @event, CancellationToken cancellationToken = default)
        where TEvent : IIntegrationEvent;

    /// <summary>Publishes to an explicit topic rather than the catalogue's one (replays, tests, migrations).</summary>
    Task<PublishedEvent> PublishAsync(IIntegrationEvent @event, string topic, CancellationToken cancellationToken = default);

    /// <summary>
    /// Publishes many events to one topic under one producer span; completes when the broker has acknowledged all
    /// of them, throws when any could not be delivered (the others may have been: publish again, consumers dedupe).
    /// </summary>
    async Task PublishBatchAsync(IReadOnlyList<IIntegrationEvent> events, string topic, CancellationToken cancellationToken = default) =>
        await Task.WhenAll(events.Select(@event => PublishAsync(@event, topic, cancellationToken)));

    /// <summary>
    /// As <see cref="PublishBatchAsync(IReadOnlyList{IIntegrationEvent}, string, CancellationToken)"/>, each record
    /// carrying its own origin's trace context (the batch's span links to them), not the batch span's.
    /// </summary>
    async Task PublishBatchAsync(IReadOnlyList<TracedEvent> events, string topic, CancellationToken cancellationToken = default) =>
        await PublishBatchAsync(events.Select(traced => traced.Event).ToList(), topic, cancellationToken);

    /// <summary>As <see cref="PublishBatchAsync(IReadOnlyList{IIntegrationEvent}, string, CancellationToken)"/>, for events already in Protobuf binary.</summary>
    async Task PublishBatchAsync(IReadOnlyList<EncodedEvent> events, string topic, CancellationToken cancellationToken = default) =>
        await PublishBatchAsync(events.Select(@event => (IIntegrationEvent)@event.Type.Parser.ParseFrom(@event.Protobuf)).ToList(), topic, cancellationToken);
}
