using CreditRisk.Contracts.Events.V1;
using CreditRisk.Messaging.Consuming;

namespace CreditRisk.Messaging.Tests.Support;

public sealed class RecordingHandler<TEvent>(Recorder recorder, InstanceName instance) : IEventHandler<TEvent>
    where TEvent : IIntegrationEvent
{
    public Task HandleAsync(TEvent @event, EventContext context, CancellationToken cancellationToken)
    {
        recorder.Attempt(@event.Envelope.EventId);
        recorder.Record(@event, context, instance.Value);
        return Task.CompletedTask;
    }
}
