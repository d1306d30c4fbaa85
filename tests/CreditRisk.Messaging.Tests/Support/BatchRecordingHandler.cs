using CreditRisk.Contracts.Events.V1;
using CreditRisk.Messaging.Consuming;

namespace CreditRisk.Messaging.Tests.Support;

/// <summary>
/// Records every batch it handles; rejects transactions of <see cref="Settings.RejectedAmount"/> and throws on its first
/// <see cref="Settings.FailuresBeforeSuccess"/> calls.
/// </summary>
public sealed class BatchRecordingHandler(Recorder recorder, BatchRecordingHandler.Settings settings) : IEventBatchHandler<TransactionRecorded>
{
    public sealed record Settings(double RejectedAmount = double.NaN, int FailuresBeforeSuccess = 0)
    {
        private int _calls;

        public List<int> Sizes { get; } = [];

        public int Call() => Interlocked.Increment(ref _calls);
    }

    public Task<IReadOnlyList<EventRejection>> HandleBatchAsync(IReadOnlyList<ConsumedEvent<TransactionRecorded>> batch, CancellationToken cancellationToken)
    {
        if (settings.Call() <= settings.FailuresBeforeSuccess)
        {
            throw new TimeoutException("the database timed out");
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
        return Task.FromResult<IReadOnlyList<EventRejection>>(rejections);
    }
}
