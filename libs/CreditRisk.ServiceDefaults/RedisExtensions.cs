using CreditRisk.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

public static class RedisExtensions
{
    public const string ConfigurationKey = "Redis:Configuration";

    /// <summary>
    /// The process's <see cref="IConnectionMultiplexer"/> from "Redis:Configuration" (Redis__Configuration), connected
    /// while the host starts, and a readiness check. Safe to call more than once.
    /// </summary>
    public static IHostApplicationBuilder AddRedis(this IHostApplicationBuilder builder)
    {
        if (ReadinessChecks.TryAdd<RedisHealthCheck>(builder.Services, "redis"))
        {
            builder.Services.TryAddSingleton<IConnectionMultiplexer>(_ =>
            {
                var options = ConfigurationOptions.Parse(builder.Configuration[ConfigurationKey] ?? "127.0.0.1:6379");
                // Start even when Redis is down: it reconnects in the background and readiness reports the outage.
                options.AbortOnConnectFail = false;
                return ConnectionMultiplexer.Connect(options);
            });
            builder.Services.AddHostedService<RedisConnectionWarmup>();
        }
        return builder;
    }
}
