using System.Diagnostics;

namespace CreditRisk.Testing.Kafka;

/// <summary>Polls a condition until it holds or a deadline passes: the way to wait for asynchronous effects in tests.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Polls until <paramref name="condition"/> returns true; throws <see cref="TimeoutException"/> naming <paramref name="what"/> otherwise.
    /// Exceptions from the condition count as "not yet" and the last one is attached to the timeout.</summary>
    public static async Task ThatAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, TimeSpan? pollInterval = null)
    {
        var stopwatch = Stopwatch.StartNew();
        Exception? lastError = null;
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception e)
            {
                lastError = e;
            }

            if (stopwatch.Elapsed >= timeout)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds:0.#} s for {what}.", lastError);
            }

            await Task.Delay(pollInterval ?? DefaultPollInterval);
        }
    }

    /// <summary>Synchronous form of <see cref="ThatAsync"/>.</summary>
    public static Task ThatAsync(Func<bool> condition, TimeSpan timeout, string what, TimeSpan? pollInterval = null)
        => ThatAsync(() => Task.FromResult(condition()), timeout, what, pollInterval);
}
