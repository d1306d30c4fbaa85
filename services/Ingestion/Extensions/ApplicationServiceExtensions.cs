using CreditRisk.Ingestion.Idempotency;
using CreditRisk.Ingestion.Ingestion;
using CreditRisk.Ingestion.Validation;
using CreditRisk.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

public static class ApplicationServiceExtensions
{
    /// <summary>The ingestion service: the Kafka publisher and the validate → dedup → publish pipeline.</summary>
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddKafkaEventBus();
        builder.AddIngestionPipeline();
        return builder;
    }

    /// <summary>
    /// <see cref="EventIngestor"/> with its validator and the Redis dedup store (configuration
    /// "Redis:Configuration", "Ingestion", "Idempotency"). Needs an IEventPublisher (AddKafkaEventBus).
    /// </summary>
    public static IHostApplicationBuilder AddIngestionPipeline(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<IngestionOptions>().Bind(builder.Configuration.GetSection(IngestionOptions.SectionName));
        services.AddOptions<IdempotencyOptions>().Bind(builder.Configuration.GetSection(IdempotencyOptions.SectionName));
        services.TryAddSingleton(TimeProvider.System);

        services.TryAddSingleton<IConnectionMultiplexer>(_ =>
        {
            var options = ConfigurationOptions.Parse(builder.Configuration["Redis:Configuration"] ?? "127.0.0.1:6379");
            // Start even when Redis is down: readiness reports it and submissions answer UNAVAILABLE until it is back.
            options.AbortOnConnectFail = false;
            return ConnectionMultiplexer.Connect(options);
        });
        // Connect at start-up rather than on the first request, which would otherwise wait for the handshake.
        services.AddHostedService<RedisConnectionWarmup>();
        services.TryAddSingleton<IIdempotencyStore, RedisIdempotencyStore>();
        services.TryAddSingleton<SubmitRequestValidator>();
        services.TryAddSingleton<IngestionMetrics>();
        services.TryAddSingleton<EventIngestor>();

        services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: [CreditRiskTelemetry.ReadyTag]);
        return builder;
    }
}
