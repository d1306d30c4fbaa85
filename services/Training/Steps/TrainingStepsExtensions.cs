using CreditRisk.Contracts.Features.V1;
using CreditRisk.Contracts.Registry.V1;
using CreditRisk.Training.Pipeline;
using CreditRisk.Training.Steps;
using Microsoft.Extensions.DependencyInjection.Extensions;

// In the DI namespace, so the composition root needs no using.
namespace Microsoft.Extensions.DependencyInjection;

public static class TrainingStepsExtensions
{
    public const string FeaturesService = "Features";
    public const string RegistryService = "Registry";

    /// <summary>
    /// The six steps of a training pipeline, in order (build_training_set, validate, train, evaluate, register, promote),
    /// with the gRPC clients they call: the features service (<c>Services:Features</c>) and the registry
    /// (<c>Services:Registry</c>). The label store comes with the labels.
    /// </summary>
    public static IServiceCollection AddTrainingSteps(this IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddServiceClient<FeatureRetrievalService.FeatureRetrievalServiceClient>(configuration, FeaturesService);
        services.AddServiceClient<RegistryService.RegistryServiceClient>(configuration, RegistryService);
        services.TryAddSingleton<TrainingRegistry>();
        services.AddSingleton<IPipelineStep, BuildTrainingSetStep>();
        services.AddSingleton<IPipelineStep, ValidateStep>();
        services.AddSingleton<IPipelineStep, TrainStep>();
        services.AddSingleton<IPipelineStep, EvaluateStep>();
        services.AddSingleton<IPipelineStep, RegisterStep>();
        services.AddSingleton<IPipelineStep, PromoteStep>();
        return services;
    }
}
