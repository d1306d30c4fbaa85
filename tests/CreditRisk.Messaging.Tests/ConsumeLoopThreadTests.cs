using CreditRisk.Messaging.Consuming;

namespace CreditRisk.Messaging.Tests;

/// <summary>A blocking consume loop runs on a thread of its own, never a thread-pool worker, and its task ends as the loop does.</summary>
public sealed class ConsumeLoopThreadTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_loop_runs_on_a_named_thread_outside_the_thread_pool()
    {
        bool? onPool = null;
        string? name = null;
        await ConsumeLoopThread.Start("consume Test", () =>
        {
            onPool = Thread.CurrentThread.IsThreadPoolThread;
            name = Thread.CurrentThread.Name;
        }).WaitAsync(Deadline, TestContext.Current.CancellationToken);

        Assert.False(onPool);
        Assert.Equal("consume Test", name);
    }

    [Fact]
    public async Task A_loop_that_throws_faults_its_task_with_the_exception()
    {
        var failing = ConsumeLoopThread.Start("failing", () => throw new InvalidOperationException("fatal consume error"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => failing.WaitAsync(Deadline, TestContext.Current.CancellationToken));
        Assert.Equal("fatal consume error", error.Message);
    }

    [Fact]
    public async Task A_loop_stopped_by_its_token_ends_cancelled()
    {
        using var stopping = new CancellationTokenSource();
        var loop = ConsumeLoopThread.Start("stoppable", () =>
        {
            while (true)
            {
                stopping.Token.ThrowIfCancellationRequested();
                stopping.Token.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(10));
            }
        });

        stopping.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop.WaitAsync(Deadline, TestContext.Current.CancellationToken));
        Assert.True(loop.IsCanceled);
    }
}
