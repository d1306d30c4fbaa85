using CreditRisk.Contracts.Events.V1;

namespace CreditRisk.Messaging.Consuming;

/// <summary>
/// Handles one event type. Called once per record in its own DI scope; delivery is at-least-once, so
/// handlers make their effect idempotent (the envelope's event id is the key). Throw to have the record
/// retried; throw <see cref="PoisonEventException"/> to send it straight to the dead-letter topic.
/// </summary>
public interface IEventHandler<in TEvent> where TEvent : IIntegrationEvent
{
    Task HandleAsync(TEvent @event, EventContext context, CancellationToken cancellationToken);
}
