using CreditRisk.Contracts.Events.V1;
using CreditRisk.Contracts.Registry.V1;
using CreditRisk.FeatureStore;
using CreditRisk.Scoring.Features;
using CreditRisk.Scoring.Grpc;
using CreditRisk.Scoring.Idempotency;
using CreditRisk.Scoring.Inference;
using CreditRisk.Scoring.Models;
using CreditRisk.Scoring.Options;
using CreditRisk.Scoring.Pipeline;
using CreditRisk.Scoring.PredictionLog;
using CreditRisk.Scoring.Shadow;
using CreditRisk.Scoring.Telemetry;
using CreditRisk.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

// In the hosting namespace, like AddServiceDefaults, so Program.cs needs no using.
namespace Microsoft.Extensions.Hosting;

/// <summary>The scoring service's composition root: what Program.cs adds and maps besides the service defaults.</summary>
public static class Extensions
{
    /// <summary>
    /// Redis (online store and request ids), the registry client (Services:Registry), the model lifecycle with its
    /// broadcast subscriptions (a consumer group per instance, from the latest event) and reconcile loop, the scoring
    /// pipeline, the prediction log and shadow scoring, gRPC with reflection, and readiness on a loaded model.
    /// </summary>
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var section = builder.Configuration.GetSection(ScoringOptions.SectionName);
        services.AddOptions<ScoringOptions>().Bind(section);
        var settings = section.Get<ScoringOptions>() ?? new ScoringOptions();
        services.TryAddSingleton(TimeProvider.System);

        builder.AddRedis();
        if (settings.OnlineStoreUnavailable == OnlineStoreUnavailablePolicy.Degrade)
        {
            // Degrading means answering while Redis is down: readiness must not take the replica out of rotation for it.
            services.Configure<HealthCheckServiceOptions>(health =>
            {
                foreach (var redis in health.Registrations.Where(check => check.Name == "redis").ToList())
                {
                    health.Registrations.Remove(redis);
                }
            });
        }
        services.AddOptions<RedisOnlineStoreOptions>().Bind(builder.Configuration.GetSection("OnlineStore"));
        services.TryAddSingleton<IOnlineStore>(provider => new RedisOnlineStore(
            provider.GetRequiredService<IConnectionMultiplexer>(),
            provider.GetRequiredService<IOptions<RedisOnlineStoreOptions>>().Value,
            provider.GetRequiredService<TimeProvider>()));

        builder.AddServiceClient<RegistryService.RegistryServiceClient>("Registry");
        services.TryAddSingleton<ServedModels>();
        services.TryAddSingleton(new LoadedModelCache());
        services.TryAddSingleton<ScoringMetrics>();
        services.TryAddSingleton<ModelLoader>();
        services.TryAddSingleton<ModelLifecycle>();
        services.TryAddSingleton<FeatureAssembler>();
        services.TryAddSingleton<RiskGrades>();
        services.TryAddSingleton<DecisionPolicy>();
        services.TryAddSingleton<IReasonCodeProvider, ModelExplainerReasonCodeProvider>();
        services.TryAddSingleton<Scorer>();
        services.TryAddSingleton<RequestIdempotencyStore>();
        services.TryAddSingleton<PredictionLogBuffer>();
        services.TryAddSingleton<ShadowScorer>();
        services.TryAddSingleton<ScoringPipeline>();

        // Stopped in reverse: the reconciler and shadow scorer first, the log publisher last (it drains the buffer).
        services.AddHostedService<PredictionLogPublisher>();
        services.AddHostedService(provider => provider.GetRequiredService<ShadowScorer>());
        services.AddHostedService<ModelReconciler>();
        services.AddHealthChecks().AddCheck<ModelReadinessCheck>("model", tags: [CreditRiskTelemetry.ReadyTag]);

        // Promotions and experiment changes are broadcasts: every replica consumes all of them in a group of its own.
        var replica = ScoringReplica.From(settings);
        services.TryAddSingleton(replica);
        var group = $"scoring-{replica.Id}";
        builder.AddKafkaEventBus()
            .AddSubscription<ModelVersionPromoted, ModelPromotedHandler>(subscription => Broadcast(subscription, group))
            .AddSubscription<ServingExperimentChanged, ServingExperimentChangedHandler>(subscription => Broadcast(subscription, group));

        services.AddGrpc(grpc => grpc.MaxReceiveMessageSize = settings.MaxReceiveMessageBytes);
        services.AddGrpcReflection();
        return builder;
    }

    /// <summary>The scoring and Open Inference Protocol gRPC services and reflection.</summary>
    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        app.MapGrpcService<ScoringGrpcService>();
        app.MapGrpcService<InferenceGrpcService>();
        app.MapGrpcReflectionService();
        return app;
    }

    private static void Broadcast(CreditRisk.Messaging.SubscriptionOptions subscription, string group)
    {
        subscription.GroupId = group;
        subscription.StartAtLatest = true;
        // A failed reconcile is retried by the reconcile loop, not by redelivering the event.
        subscription.MaxRetries = 0;
    }
}
