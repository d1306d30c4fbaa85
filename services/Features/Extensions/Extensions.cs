using CreditRisk.Features.Grpc;
using CreditRisk.Features.Persistence;
using CreditRisk.Features.Processing;
using CreditRisk.FeatureStore;
using Microsoft.Extensions.Options;
using Npgsql;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

/// <summary>The features service's composition root: what Program.cs adds and maps besides the service defaults.</summary>
public static class Extensions
{
    /// <summary>
    /// The feature store (Redis online, PostgreSQL offline), the database migrations, the Kafka event bus, the
    /// stream processor (unless FeatureProcessor:Enabled is false) and the retrieval gRPC service.
    /// </summary>
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;

        // Both schemas are migrated while the host starts, before the processor or the server.
        builder.AddSchemaMigrations(OfflineStoreSchema.Migrations, FeatureProcessorSchema.Migrations);
        builder.AddRedis();

        services.AddOptions<RedisOnlineStoreOptions>().Bind(configuration.GetSection("OnlineStore"));
        services.AddSingleton<IOnlineStore>(provider => new RedisOnlineStore(
            provider.GetRequiredService<IConnectionMultiplexer>(),
            provider.GetRequiredService<IOptions<RedisOnlineStoreOptions>>().Value,
            provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IOfflineStore>(provider => new PostgresOfflineStore(provider.GetRequiredService<NpgsqlDataSource>()));
        services.AddSingleton(provider => new Materializer(provider.GetRequiredService<IOfflineStore>(), provider.GetRequiredService<IOnlineStore>()));

        // Hosted services start in registration order: topics first, then the processor.
        var bus = builder.AddKafkaEventBus();

        var processorSection = configuration.GetSection(FeatureProcessorOptions.SectionName);
        services.AddOptions<FeatureProcessorOptions>().Bind(processorSection);
        services.AddSingleton<RawEventDecoder>();
        services.AddSingleton<CustomerStateStore>();
        services.AddSingleton<LateEventRouter>();
        services.AddSingleton<FeatureUpdatePublisher>();
        services.AddSingleton<StoreRetry>();
        services.AddSingleton<FeatureBatchProcessor>();
        var processor = processorSection.Get<FeatureProcessorOptions>() ?? new FeatureProcessorOptions();
        if (processor.Enabled)
        {
            bus.AddTopic(processor.LateTopicDefinition);
            services.AddHostedService<FeatureProcessorService>();
        }

        services.AddGrpc(options =>
        {
            // Training-set requests carry every entity row in one message.
            options.MaxReceiveMessageSize = configuration.GetValue("Grpc:MaxReceiveMessageBytes", 512 * 1024 * 1024);
        });
        return builder;
    }

    /// <summary>The service's endpoints besides the defaults.</summary>
    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        app.MapGrpcService<FeatureRetrievalGrpcService>();
        return app;
    }
}
