using CreditRisk.Contracts.Events.V1;
using CreditRisk.Messaging.Consuming;

namespace CreditRisk.Messaging.Tests.Support;

/// <summary>Fails the first <see cref="FailuresBeforeSuccess"/> attempts at each event, then records it.
/// int.MaxValue makes it fail for ever.</summary>
public sealed class FlakyHandler(Recorder recorder, FlakyHandler.Settings settings) : IEventHandler<TransactionRecorded>
{
    public sealed record Settings(int FailuresBeforeSuccess);

    public Task HandleAsync(TransactionRecorded @event, EventContext context, CancellationToken cancellationToken)
    {
        var attempt = recorder.Attempt(@event.Envelope.EventId);
        if (attempt <= settings.FailuresBeforeSuccess)
        {
            throw new TimeoutException($"downstream timed out (attempt {attempt})");
        }
        recorder.Record(@event, context);
        return Task.CompletedTask;
    }
}
