namespace CreditRisk.Messaging;

/// <summary>
/// Wakes a background loop right after work was committed for it, instead of its waiting for its next poll; wake-ups
/// before the loop looks coalesce into one. Each loop's signal is a type of its own, so each is injected apart.
/// </summary>
public abstract class WakeSignal
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
            // Already signalled: one wake-up covers everything committed before it.
        }
    }

    /// <summary>True when woken, false when <paramref name="timeout"/> passed first.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
