using CreditRisk.Testing.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CreditRisk.Messaging.Tests.Support;

/// <summary>A service host as a real service builds it: AddKafkaEventBus plus subscriptions, against a given broker.</summary>
public sealed class EventBusHost : TestHost
{
    private readonly IHost _host;

    private EventBusHost(IHost host) => _host = host;

    public override IServiceProvider Services => _host.Services;

    public static async Task<EventBusHost> StartAsync(
        string bootstrapServers,
        Action<KafkaEventBusBuilder> subscribe,
        Action<IServiceCollection>? services = null,
        bool provisionTopics = true)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "messaging-tests" });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        services?.Invoke(builder.Services);
        var bus = builder.AddKafkaEventBus(kafka =>
        {
            kafka.BootstrapServers = bootstrapServers;
            kafka.ProvisionTopics = provisionTopics;
            kafka.StatisticsIntervalMs = 200;
            kafka.Consumer["session.timeout.ms"] = "10000";
            kafka.Consumer["heartbeat.interval.ms"] = "500";
        });
        subscribe(bus);
        var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        return new EventBusHost(host);
    }

    protected override Task StopHostAsync() => _host.StopAsync(CancellationToken.None);

    protected override ValueTask DisposeHostAsync()
    {
        _host.Dispose();
        return ValueTask.CompletedTask;
    }
}
