namespace CreditRisk.Drift.Service.Monitoring;

/// <summary>Wakes the window closer after predictions or outcomes were recorded, instead of waiting for its next sweep.</summary>
public sealed class WindowSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one wake-up covers everything recorded before it.
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
