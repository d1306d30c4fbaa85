using CreditRisk.Testing.Kafka;
using CreditRisk.Testing.Redis;
using Xunit;

namespace CreditRisk.Testing.Hosting;

/// <summary>
/// xunit fixture: a dev broker in-process, the real Redis (own key prefix) and one instance of a service over both,
/// started by <see cref="StartServiceAsync"/> once both are up, and stopped before them.
/// </summary>
public abstract class ServiceFixture<THost> : IAsyncLifetime where THost : TestHost
{
    private THost? _service;

    public DevBrokerFixture Broker { get; } = new();

    public RedisFixture Redis { get; } = new();

    public string BootstrapServers => Broker.BootstrapServers;

    public THost Service => _service ?? throw new InvalidOperationException("The service fixture is not initialised.");

    public async ValueTask InitializeAsync()
    {
        await Broker.InitializeAsync();
        await Redis.InitializeAsync();
        _service = await StartServiceAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }
        await Redis.DisposeAsync();
        await Broker.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected abstract Task<THost> StartServiceAsync();
}
