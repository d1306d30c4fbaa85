using CreditRisk.Contracts.Scoring.V1;

namespace CreditRisk.Scoring.Bench.Tests;

public sealed class LoadRunnerTests
{
    private static readonly ScoreRequests Requests = ScoreRequests.FromFile(ScoreRequestsTests.CreditData, seed: 1);

    [Fact]
    public async Task The_open_loop_sends_the_scheduled_count_and_measures_only_after_the_warm_up()
    {
        var sent = new List<string>();
        var runner = new LoadRunner(Requests, TimeSpan.FromSeconds(0.2), TimeSpan.FromSeconds(0.5));

        var result = await runner.RunAsync("fake", Scenario.OpenLoop(200), (request, _) =>
        {
            lock (sent)
            {
                sent.Add(request.RequestId);
            }
            return Task.CompletedTask;
        }, TestContext.Current.CancellationToken);

        Assert.Equal(140, sent.Count);
        Assert.Equal(140, sent.Distinct().Count());
        Assert.Equal(100, result.Latency.Count);
        Assert.Equal(0, result.Errors);
    }

    [Fact]
    public async Task The_closed_loop_keeps_its_callers_busy_and_counts_failures()
    {
        var concurrent = 0;
        var most = 0;
        var runner = new LoadRunner(Requests, TimeSpan.Zero, TimeSpan.FromSeconds(0.3));

        var result = await runner.RunAsync("fake", Scenario.ClosedLoop(4), async (request, cancellationToken) =>
        {
            var now = Interlocked.Increment(ref concurrent);
            InterlockedMax(ref most, now);
            await Task.Yield();
            Interlocked.Decrement(ref concurrent);
            if (request.RequestId.EndsWith('7'))
            {
                throw new InvalidOperationException("refused");
            }
        }, TestContext.Current.CancellationToken);

        Assert.InRange(most, 1, 4);
        Assert.True(result.Errors > 0);
        Assert.True(result.Latency.Count > result.Errors);
        Assert.Equal("refused", result.FirstError);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (var current = Volatile.Read(ref target); value > current; current = Volatile.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, current) == current)
            {
                return;
            }
        }
    }
}
