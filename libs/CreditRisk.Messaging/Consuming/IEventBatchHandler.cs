using CreditRisk.Contracts.Events.V1;

namespace CreditRisk.Messaging.Consuming;

/// <summary>
/// Handles one event type a batch at a time (e.g. one database transaction per batch). Called with up to
/// <see cref="BatchSubscriptionOptions.MaxBatchSize"/> records in consumption order, in its own DI scope; delivery is
/// at-least-once, so the effect is idempotent. Returns the records to dead-letter (the others count as handled); throw
/// to have the whole batch retried, or <see cref="PoisonEventException"/> to dead-letter the whole batch at once.
/// </summary>
public interface IEventBatchHandler<TEvent> where TEvent : IIntegrationEvent
{
    Task<IReadOnlyList<EventRejection>> HandleBatchAsync(IReadOnlyList<ConsumedEvent<TEvent>> batch, CancellationToken cancellationToken);
}
