using CreditRisk.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace CreditRisk.ServiceDefaults.Tests;

public sealed class RedisRegistrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static IHost Build(string configuration)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection([new("Redis:Configuration", configuration)]);
        builder.AddRedis();
        builder.AddRedis();
        return builder.Build();
    }

    private static async Task<HealthReportEntry> RedisCheckAsync(IHost host)
    {
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(Ct);
        var entry = Assert.Single(report.Entries, entry => entry.Key == "redis");
        Assert.Contains(CreditRiskTelemetry.ReadyTag, entry.Value.Tags);
        return entry.Value;
    }

    [Fact]
    public async Task The_connection_is_open_once_the_host_has_started_and_readiness_checks_it()
    {
        using var host = Build(InfrastructureSettings.RedisConfiguration);

        await host.StartAsync(Ct);

        Assert.True(host.Services.GetRequiredService<IConnectionMultiplexer>().IsConnected);
        Assert.Equal(HealthStatus.Healthy, (await RedisCheckAsync(host)).Status);
        await host.StopAsync(Ct);
    }

    [Fact]
    public async Task An_unreachable_redis_does_not_stop_the_start_but_fails_readiness()
    {
        using var host = Build("127.0.0.1:1,connectTimeout=500");

        await host.StartAsync(Ct);

        Assert.False(host.Services.GetRequiredService<IConnectionMultiplexer>().IsConnected);
        Assert.Equal(HealthStatus.Unhealthy, (await RedisCheckAsync(host)).Status);
        await host.StopAsync(Ct);
    }
}
