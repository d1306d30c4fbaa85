using CreditRisk.Contracts.Events.V1;
using CreditRisk.Training.Api;
using CreditRisk.Training.Pipeline;
using CreditRisk.Training.Triggers;
using Microsoft.Extensions.DependencyInjection.Extensions;

// In the hosting namespace, like AddServiceDefaults, so Extensions.cs needs no using.
namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The training pipeline: the engine (stores, executor, a worker per replica), its triggers (the API, the schedule,
/// retrain requests from Kafka) and its API (gRPC and REST). The steps are registered elsewhere as
/// <see cref="IPipelineStep"/> singletons, in pipeline order.
/// </summary>
public static class TrainingPipelineExtensions
{
    public static IHostApplicationBuilder AddTrainingPipeline(this IHostApplicationBuilder builder, string consumerGroup)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddOptions<PipelineOptions>().Bind(configuration.GetSection(PipelineOptions.SectionName))
            .Validate(options => options.MaxAttempts >= 1, $"{PipelineOptions.SectionName}:MaxAttempts must be at least 1.")
            .Validate(options => options.LeaseDuration > TimeSpan.Zero && options.EffectiveHeartbeatInterval > TimeSpan.Zero,
                $"{PipelineOptions.SectionName}:LeaseDuration and HeartbeatInterval must be positive.")
            .ValidateOnStart();
        services.AddOptions<Dictionary<string, TrainingModelOptions>>().Bind(configuration.GetSection(TrainingModelOptions.SectionName));
        services.AddOptions<ScheduleOptions>().Bind(configuration.GetSection(ScheduleOptions.SectionName));
        services.AddOptions<RetrainOptions>().Bind(configuration.GetSection(RetrainOptions.SectionName));
        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton<ReplicaIdentity>();
        services.AddSingleton<ModelCatalog>();
        services.AddSingleton<PipelineStepCatalog>();
        services.AddSingleton<PipelineSignal>();
        services.AddSingleton<PipelineRunStore>();
        services.AddSingleton<PipelineStepStore>();
        services.AddSingleton<PipelineRunReader>();
        services.AddSingleton<BlobStore>();
        services.AddSingleton<PipelineRunExecutor>();
        services.AddSingleton<PipelineRunStarter>();
        services.AddSingleton<RetrainDecider>();
        services.AddSingleton<TrainingApi>();
        if (configuration.GetValue($"{PipelineOptions.SectionName}:{nameof(PipelineOptions.WorkerEnabled)}", true))
        {
            services.AddHostedService<PipelineWorker>();
        }
        services.AddHostedService<PipelineScheduler>();

        builder.AddKafkaEventBus()
            .AddSubscription<RetrainRequested, RetrainRequestHandler>(subscription => subscription.GroupId = consumerGroup);
        services.AddGrpc();
        return builder;
    }

    public static WebApplication MapTrainingApi(this WebApplication app)
    {
        app.MapGrpcService<TrainingGrpcService>();
        app.MapTrainingRestEndpoints();
        return app;
    }
}
