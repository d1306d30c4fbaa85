namespace CreditRisk.Training.Pipeline;

/// <summary>Wakes this replica's idle workers when a run is created here, so they need not wait for their next poll.</summary>
public sealed class PipelineSignal
{
    private readonly SemaphoreSlim _signal = new(0, int.MaxValue);

    public void RunQueued() => _signal.Release();

    /// <summary>Waits for <see cref="RunQueued"/> or <paramref name="timeout"/>, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        await _signal.WaitAsync(timeout, cancellationToken);
}
