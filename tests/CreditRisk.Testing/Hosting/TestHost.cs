using Microsoft.Extensions.DependencyInjection;

namespace CreditRisk.Testing.Hosting;

/// <summary>
/// An application a test starts in its own process: its services, one graceful stop however often it is asked
/// for, and disposal after that stop.
/// </summary>
public abstract class TestHost : IAsyncDisposable
{
    private int _stopped;

    public abstract IServiceProvider Services { get; }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>Graceful stop, as on SIGTERM: consumers finish their record or batch, commit and leave their group.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            await StopHostAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await DisposeHostAsync();
        GC.SuppressFinalize(this);
    }

    protected abstract Task StopHostAsync();

    protected abstract ValueTask DisposeHostAsync();
}
