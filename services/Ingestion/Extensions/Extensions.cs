using CreditRisk.Ingestion.Grpc;
using CreditRisk.Ingestion.Idempotency;
using CreditRisk.Ingestion.Ingestion;
using CreditRisk.Ingestion.Validation;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.Hosting;

/// <summary>The ingestion service's composition root: what Program.cs adds and maps besides the service defaults.</summary>
public static class Extensions
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

        // Submissions answer UNAVAILABLE while Redis is down; readiness reports it.
        builder.AddRedis();
        services.TryAddSingleton<IIdempotencyStore, RedisIdempotencyStore>();
        services.TryAddSingleton<SubmitRequestValidator>();
        services.TryAddSingleton<IngestionMetrics>();
        services.TryAddSingleton<EventIngestor>();
        return builder;
    }

    /// <summary>The service's endpoints besides the defaults.</summary>
    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        app.MapGrpcService<IngestionGrpcService>();
        return app;
    }
}
