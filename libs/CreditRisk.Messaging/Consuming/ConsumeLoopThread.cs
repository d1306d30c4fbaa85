namespace CreditRisk.Messaging.Consuming;

/// <summary>
/// Runs a consume loop that blocks in librdkafka's Consume on a thread of its own, outside the thread pool: a pool
/// thread parked in Consume still counts as a pool worker, so two such loops on a two-core machine hold the pool's
/// minimum and leave requests queued until its starvation check adds a thread (half a second or more).
/// </summary>
public static class ConsumeLoopThread
{
    /// <summary>Starts <paramref name="loop"/> on a new background thread named <paramref name="name"/>; the task ends with it.</summary>
    public static Task Start(string name, Action loop)
    {
        ArgumentNullException.ThrowIfNull(loop);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                loop();
                done.SetResult();
            }
            catch (OperationCanceledException e)
            {
                done.SetCanceled(e.CancellationToken);
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        return done.Task;
    }
}
