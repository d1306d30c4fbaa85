using CreditRisk.Contracts.Events.V1;
using CreditRisk.Messaging.Publishing;

namespace CreditRisk.Registry.Tests.Support;

/// <summary>
/// The real Kafka publisher, except that the first publish of <typeparamref name="TEvent"/> fails right after the
/// broker acknowledged it — what the relay sees when the process dies between the ack and marking the row relayed.
/// </summary>
public sealed class CrashAfterAckPublisher<TEvent>(IEventPublisher inner) : IEventPublisher where TEvent : IIntegrationEvent
{
    private int _crashed;

    public int Crashes => _crashed;

    public Task<PublishedEvent> PublishAsync<T>(T @event, CancellationToken cancellationToken = default) where T : IIntegrationEvent =>
        Crash(inner.PublishAsync(@event, cancellationToken), @event);

    public Task<PublishedEvent> PublishAsync(IIntegrationEvent @event, string topic, CancellationToken cancellationToken = default) =>
        Crash(inner.PublishAsync(@event, topic, cancellationToken), @event);

    private async Task<PublishedEvent> Crash(Task<PublishedEvent> publish, IIntegrationEvent @event)
    {
        var published = await publish;
        if (@event is TEvent && Interlocked.CompareExchange(ref _crashed, 1, 0) == 0)
        {
            throw new IOException($"simulated crash after the broker acknowledged {published.Topic}@{published.Offset}");
        }
        return published;
    }
}
