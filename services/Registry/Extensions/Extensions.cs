using CreditRisk.Registry.Artifacts;
using CreditRisk.Registry.Data;
using CreditRisk.Registry.GrpcApi;
using CreditRisk.Registry.Models;
using CreditRisk.Registry.Rest;
using CreditRisk.Registry.Search;
using CreditRisk.Registry.Serving;
using CreditRisk.Registry.Tracking;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

// In the hosting namespace, like AddServiceDefaults, so Program.cs needs no using.
namespace Microsoft.Extensions.Hosting;

/// <summary>The registry's composition root: what Program.cs adds and maps besides the service defaults.</summary>
public static class Extensions
{
    /// <summary>
    /// PostgreSQL (ConnectionStrings:Postgres) with migrations at start-up, the application services,
    /// the artifact store, gRPC with the refusal-mapping interceptor, and the Kafka event bus
    /// with the outbox relay.
    /// </summary>
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ArtifactOptions>().Bind(builder.Configuration.GetSection(ArtifactOptions.SectionName));
        services.TryAddSingleton(TimeProvider.System);

        // The schema exists before the relay or any call touches it.
        builder.AddSchemaMigrations(RegistrySchema.Migrations);

        services.TryAddSingleton<IArtifactStore>(provider =>
            new LocalFolderArtifactStore(provider.GetRequiredService<IOptions<ArtifactOptions>>().Value.RootPath));
        services.AddSingleton<TrackingService>();
        services.AddSingleton<RunSearchService>();
        services.AddSingleton<ArtifactService>();
        services.AddSingleton<ModelRegistryService>();
        services.AddSingleton<ServingExperimentService>();

        builder.AddKafkaEventBus();
        // The lock the registry's relays held before the outbox became a library: old and new replicas never relay at once.
        builder.AddOutbox("Registry:Outbox", "public.outbox", relayLockId: 0x5245_4c41_5931);

        services.AddGrpc(options => options.MaxReceiveMessageSize = 8 * 1024 * 1024)
            .AddServiceOptions<RegistryGrpcService>(options => options.Interceptors.Add<RegistryCallInterceptor>());
        return builder;
    }

    /// <summary>The gRPC service and its REST/JSON routes.</summary>
    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        app.MapGrpcService<RegistryGrpcService>();
        app.MapRegistryRestEndpoints();
        return app;
    }
}
