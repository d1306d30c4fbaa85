using System.Threading.Channels;

namespace CreditRisk.Training.Pipeline;

/// <summary>
/// A step's log: each line goes to the service's log (with the run and step in scope) at once, and to the run's rows
/// in batches behind the step, so <see cref="StepContext.Log"/> never waits for the database.
/// </summary>
internal sealed class StepLogWriter
{
    private readonly Channel<(DateTimeOffset At, string Message)> _lines = Channel.CreateUnbounded<(DateTimeOffset, string)>(
        new UnboundedChannelOptions { SingleReader = true });
    private readonly RunLease _lease;
    private readonly string _step;
    private readonly PipelineStepStore _store;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Task _pump;

    public StepLogWriter(RunLease lease, string step, PipelineStepStore store, ILogger logger, TimeProvider time)
    {
        _lease = lease;
        _step = step;
        _store = store;
        _logger = logger;
        _time = time;
        _pump = Task.Run(PumpAsync);
    }

    public void Write(string message)
    {
        _logger.LogInformation("{StepLogLine}", message);
        _lines.Writer.TryWrite((_time.GetUtcNow(), message));
    }

    /// <summary>Stores the lines still queued; called when the attempt ends, before its outcome is recorded.</summary>
    public async Task CompleteAsync()
    {
        _lines.Writer.TryComplete();
        await _pump;
    }

    private async Task PumpAsync()
    {
        var batch = new List<(DateTimeOffset, string)>();
        while (await _lines.Reader.WaitToReadAsync())
        {
            while (batch.Count < 500 && _lines.Reader.TryRead(out var line))
            {
                batch.Add(line);
            }
            try
            {
                await _store.AppendLogsAsync(_lease, _step, batch, CancellationToken.None);
            }
            catch (LeaseLostException)
            {
                // Another replica owns the run: its lines are the run's now.
            }
            catch (Exception exception) when (exception is Npgsql.NpgsqlException or TimeoutException)
            {
                _logger.LogWarning(exception, "Could not store {Count} log lines of step {Step}; they are in the service log only", batch.Count, _step);
            }
            batch.Clear();
        }
    }
}
