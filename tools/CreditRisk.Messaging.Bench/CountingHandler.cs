using CreditRisk.Contracts.Events.V1;
using CreditRisk.Messaging.Consuming;

namespace CreditRisk.Messaging.Bench;

internal sealed class CountingHandler(Counter counter) : IEventHandler<TransactionRecorded>
{
    public Task HandleAsync(TransactionRecorded @event, EventContext context, CancellationToken cancellationToken)
    {
        counter.Increment();
        return Task.CompletedTask;
    }
}

internal sealed class Counter
{
    private long _count;
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long Target { get; init; }

    public Task Reached => _reached.Task;

    public void Increment()
    {
        if (Interlocked.Increment(ref _count) >= Target)
        {
            _reached.TrySetResult();
        }
    }
}
