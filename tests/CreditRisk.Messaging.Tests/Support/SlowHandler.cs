using CreditRisk.Contracts.Events.V1;
using CreditRisk.Messaging.Consuming;

namespace CreditRisk.Messaging.Tests.Support;

/// <summary>Takes a while per record, so a backlog builds up behind it.</summary>
public sealed class SlowHandler(Recorder recorder, SlowHandler.Settings settings) : IEventHandler<TransactionRecorded>
{
    public sealed record Settings(TimeSpan PerRecord);

    public async Task HandleAsync(TransactionRecorded @event, EventContext context, CancellationToken cancellationToken)
    {
        await Task.Delay(settings.PerRecord, cancellationToken);
        recorder.Record(@event, context);
    }
}
