using CreditRisk.Testing.Kafka;
using CreditRisk.Testing.Postgres;

namespace CreditRisk.Registry.Tests.Support;

/// <summary>A fresh database (per test class) and one running registry on it, against the assembly's dev broker.</summary>
public sealed class RegistryFixture(DevBrokerFixture broker) : IAsyncLifetime
{
    public PostgresFixture Postgres { get; } = new();

    public DevBrokerFixture Broker { get; } = broker;

    public RegistryHost Host { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await Postgres.InitializeAsync();
        Host = await RegistryHost.StartAsync(Postgres.ConnectionString, Broker.BootstrapServers);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Postgres.DisposeAsync();
    }
}
