using Confluent.Kafka;

namespace CreditRisk.DevBroker.Tests.Groups;

/// <summary>
/// A group consumer polled on its own thread, as a real service would run it, so rebalance callbacks and
/// heartbeats keep flowing while the test observes it. Its current assignment is published after every
/// poll; an optional handler processes each record on the polling thread. Disposing closes the consumer,
/// which leaves the group (LeaveGroup) and rethrows anything the polling loop failed with.
/// </summary>
internal sealed class SubscribedConsumer : IAsyncDisposable
{
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(50);

    private readonly IConsumer<string, string> consumer;
    private readonly Action<IConsumer<string, string>, ConsumeResult<string, string>>? onRecord;
    private readonly CancellationTokenSource stop = new();
    private readonly Task polling;
    private volatile int[] assignment = [];

    public SubscribedConsumer(
        string name,
        ConsumerConfig config,
        string topic,
        Action<IConsumer<string, string>, ConsumeResult<string, string>>? onRecord = null)
    {
        Name = name;
        this.onRecord = onRecord;
        consumer = new ConsumerBuilder<string, string>(config).Build();
        consumer.Subscribe(topic);
        polling = Task.Factory.StartNew(Poll, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public string Name { get; }

    /// <summary>Partitions assigned as of the last poll.</summary>
    public IReadOnlyList<int> Assignment => assignment;

    /// <summary>Whether the polling loop ended (by <see cref="StopAsync"/> or by an exception).</summary>
    public bool IsStopped => polling.IsCompleted;

    /// <summary>Stops polling, closes the consumer (leaving the group) and surfaces any polling failure.</summary>
    public async Task StopAsync()
    {
        await stop.CancelAsync();
        await polling;
    }

    /// <summary>Asks the polling thread to stop; used from inside a record handler, where awaiting would deadlock.</summary>
    public void RequestStop() => stop.Cancel();

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            stop.Dispose();
        }
    }

    public override string ToString() => $"{Name}[{string.Join(',', assignment)}]";

    private void Poll()
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var result = consumer.Consume(PollTimeout);
                if (result is not null && !result.IsPartitionEOF)
                {
                    onRecord?.Invoke(consumer, result);
                }
                assignment = [.. consumer.Assignment.Select(p => p.Partition.Value).Order()];
            }
            consumer.Close();
        }
        finally
        {
            assignment = [];
            consumer.Dispose();
        }
    }
}
