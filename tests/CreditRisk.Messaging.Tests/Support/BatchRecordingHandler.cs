using CreditRisk.Contracts.Events.V1;
using CreditRisk.Messaging.Consuming;

namespace CreditRisk.Messaging.Tests.Support;

/// <summary>
/// Records every batch it handles; rejects transactions of <see cref="Settings.RejectedAmount"/>, throws on its first
/// <see cref="Settings.FailuresBeforeSuccess"/> calls, refuses a batch holding <see cref="Settings.PoisonAmount"/> as poison
/// and blocks (until cancelled) on one holding <see cref="Settings.BlockedAmount"/>.
/// </summary>
public sealed class BatchRecordingHandler(Recorder recorder, BatchRecordingHandler.Settings settings) : IEventBatchHandler<TransactionRecorded>
{
    public sealed record Settings(
        double RejectedAmount = double.NaN, int FailuresBeforeSuccess = 0, double PoisonAmount = double.NaN, double BlockedAmount = double.NaN)
    {
        private int _calls;

        public List<int> Sizes { get; } = [];

        /// <summary>Completes once the handler blocks on the batch holding <see cref="BlockedAmount"/>.</summary>
        public TaskCompletionSource Blocked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Calls => Volatile.Read(ref _calls);

        public int Call() => Interlocked.Increment(ref _calls);
    }

    public async Task<IReadOnlyList<EventRejection>> HandleBatchAsync(IReadOnlyList<ConsumedEvent<TransactionRecorded>> batch, CancellationToken cancellationToken)
    {
        if (settings.Call() <= settings.FailuresBeforeSuccess)
        {
            throw new TimeoutException("the database timed out");
        }
        if (batch.Any(consumed => consumed.Event.Amount == settings.PoisonAmount))
        {
            throw new PoisonEventException("the batch violates an invariant");
        }
        if (batch.Any(consumed => consumed.Event.Amount == settings.BlockedAmount))
        {
            settings.Blocked.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        lock (settings.Sizes)
        {
            settings.Sizes.Add(batch.Count);
        }
        var rejections = new List<EventRejection>();
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch[i].Event.Amount == settings.RejectedAmount)
            {
                rejections.Add(new EventRejection(i, $"amount {batch[i].Event.Amount} is refused"));
                continue;
            }
            recorder.Attempt(batch[i].Event.Envelope.EventId);
            recorder.Record(batch[i].Event, batch[i].Context);
        }
        return rejections;
    }
}
