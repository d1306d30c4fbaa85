using System.Diagnostics;
using CreditRisk.Benchmarking;
using CreditRisk.Contracts.Scoring.V1;

namespace CreditRisk.Scoring.Bench;

/// <summary>
/// Drives one target through a <see cref="Scenario"/>: a closed loop (each caller sends its next request when the last
/// one answers) or an open loop (requests sent on the <see cref="OpenLoopSchedule"/> whatever the answers do). Requests
/// answered during the warm-up are not measured.
/// </summary>
public sealed class LoadRunner(ScoreRequests requests, TimeSpan warmup, TimeSpan duration)
{
    public async Task<ScenarioResult> RunAsync(
        string target, Scenario scenario, Func<ScoreRequest, CancellationToken, Task> score, CancellationToken cancellationToken)
    {
        var run = new Measurement();
        if (scenario.IsOpenLoop)
        {
            await OpenLoopAsync(scenario.Rate, score, run, cancellationToken);
        }
        else
        {
            await ClosedLoopAsync(scenario.Concurrency, score, run, cancellationToken);
        }
        // Completions over the time they took: an open loop the target cannot keep up with finishes after its duration.
        var seconds = Math.Max(duration.TotalSeconds, run.MeasuredSeconds);
        return new ScenarioResult(scenario, target, run.Latency.Summary(), run.Measured / seconds, run.Errors, run.FirstError);
    }

    private async Task ClosedLoopAsync(int concurrency, Func<ScoreRequest, CancellationToken, Task> score, Measurement run, CancellationToken cancellationToken)
    {
        var measuredFrom = Stopwatch.GetTimestamp() + Ticks(warmup);
        run.MeasuredFrom = measuredFrom;
        var end = measuredFrom + Ticks(duration);
        long next = -1;
        async Task Caller()
        {
            await Task.Yield();
            while (!cancellationToken.IsCancellationRequested)
            {
                var sent = Stopwatch.GetTimestamp();
                if (sent >= end)
                {
                    return;
                }
                await run.SendAsync(score, requests.Get(Interlocked.Increment(ref next)), sent, measured: sent >= measuredFrom, cancellationToken);
            }
        }
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Caller()));
    }

    private async Task OpenLoopAsync(double rate, Func<ScoreRequest, CancellationToken, Task> score, Measurement run, CancellationToken cancellationToken)
    {
        var schedule = new OpenLoopSchedule(rate, Stopwatch.Frequency);
        var warmupCount = schedule.CountIn(warmup);
        var total = warmupCount + schedule.CountIn(duration);
        var inFlight = new List<Task>((int)Math.Min(total, 1_000_000));
        // A dedicated thread keeps the schedule; the calls complete on the pool.
        await Task.Factory.StartNew(() =>
        {
            var start = Stopwatch.GetTimestamp();
            run.MeasuredFrom = start + schedule.IntendedOffset(warmupCount);
            long sent = 0;
            while (sent < total && !cancellationToken.IsCancellationRequested)
            {
                var due = Math.Min(total, schedule.DueBy(Stopwatch.GetTimestamp() - start));
                for (; sent < due; sent++)
                {
                    var intended = start + schedule.IntendedOffset(sent);
                    inFlight.Add(run.SendAsync(score, requests.Get(sent), intended, measured: sent >= warmupCount, cancellationToken));
                }
                var wait = start + schedule.IntendedOffset(sent) - Stopwatch.GetTimestamp();
                if (wait > 0)
                {
                    Pause(wait);
                }
            }
        }, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await Task.WhenAll(inFlight);
    }

    // Sleeps rather than spins: a spinning scheduler would hold one of the machine's cores the target needs. The kernel
    // wakes a sleeper some tens of microseconds late, which the intended-time latency then includes.
    private static void Pause(long ticks)
    {
        var microseconds = Math.Max(1, ticks * 1_000_000 / Stopwatch.Frequency);
        if (OperatingSystem.IsLinux())
        {
            _ = usleep((uint)Math.Min(microseconds, 1_000_000));
        }
        else
        {
            Thread.Sleep(TimeSpan.FromMilliseconds(Math.Max(1, microseconds / 1000)));
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int usleep(uint microseconds);

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    private sealed class Measurement
    {
        private long _measured;
        private long _errors;
        private long _lastCompletion;

        public long MeasuredFrom { get; set; }

        public double MeasuredSeconds => (Interlocked.Read(ref _lastCompletion) - MeasuredFrom) / (double)Stopwatch.Frequency;

        public LatencyRecorder Latency { get; } = new();

        public long Measured => Interlocked.Read(ref _measured);

        public long Errors => Interlocked.Read(ref _errors);

        public string? FirstError { get; private set; }

        /// <summary>Sends one request; its latency counts from <paramref name="from"/> (the send, or the intended send).</summary>
        public async Task SendAsync(Func<ScoreRequest, CancellationToken, Task> score, ScoreRequest request, long from, bool measured, CancellationToken cancellationToken)
        {
            try
            {
                await score(request, cancellationToken);
                if (measured)
                {
                    Latency.RecordSince(from);
                    Interlocked.Increment(ref _measured);
                    var now = Stopwatch.GetTimestamp();
                    for (var last = Interlocked.Read(ref _lastCompletion); now > last; last = Interlocked.Read(ref _lastCompletion))
                    {
                        if (Interlocked.CompareExchange(ref _lastCompletion, now, last) == last)
                        {
                            break;
                        }
                    }
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                if (measured && Interlocked.Increment(ref _errors) == 1)
                {
                    FirstError = e.Message;
                }
            }
        }
    }
}
