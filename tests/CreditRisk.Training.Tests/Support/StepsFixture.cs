using CreditRisk.Contracts.Registry.V1;
using CreditRisk.Features.Grpc;
using CreditRisk.Registry.GrpcApi;
using CreditRisk.Testing.Hosting;
using CreditRisk.Training.Labels;
using CreditRisk.Training.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CreditRisk.Training.Tests.Support;

/// <summary>
/// What the pipeline steps talk to, all real and in-process: the training host (its label consumer), the features service
/// (processor and retrieval API) and the registry, over the platform's infrastructure. The steps come from
/// <c>AddTrainingSteps</c>, their gRPC clients pointed at the test servers.
/// </summary>
public sealed class StepsFixture : PlatformFixture
{
    private ServiceProvider? _steps;

    public ServiceHost<LabelStore> Training { get; private set; } = null!;

    public ServiceHost<FeatureRetrievalGrpcService> Features { get; private set; } = null!;

    public ServiceHost<RegistryGrpcService> Registry { get; private set; } = null!;

    public RegistryService.RegistryServiceClient RegistryClient => Registry.ClientFor<RegistryService.RegistryServiceClient>(TestApiKeys.Admin);

    public const string FeaturesGroup = "features-steps";

    public IPipelineStep Step(string name) => _steps!.GetServices<IPipelineStep>().Single(step => step.Name == name);

    public IReadOnlyList<IPipelineStep> Steps => _steps!.GetServices<IPipelineStep>().ToList();

    protected override async Task StartServicesAsync()
    {
        Training = await Started(ServiceHost<LabelStore>.StartAsync(new ServiceHostOptions
        {
            BootstrapServers = Broker.BootstrapServers,
            PostgresConnectionString = TrainingDatabase.ConnectionString,
        }));
        Features = await StartFeaturesAsync(FeaturesGroup);
        Registry = await StartRegistryAsync();

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Services:Features:Address"] = Features.Server.BaseAddress.ToString(),
            ["Services:Features:ApiKey"] = TestApiKeys.Reader,
            ["Services:Registry:Address"] = Registry.Server.BaseAddress.ToString(),
            ["Services:Registry:ApiKey"] = TestApiKeys.Admin,
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(Training.Get<LabelStore>());
        services.AddTrainingSteps(configuration);
        services.AddHttpClient(TrainingStepsExtensions.FeaturesService).ConfigurePrimaryHttpMessageHandler(() => Features.Server.CreateHandler());
        services.AddHttpClient(TrainingStepsExtensions.RegistryService).ConfigurePrimaryHttpMessageHandler(() => Registry.Server.CreateHandler());
        _steps = services.BuildServiceProvider();
    }

    protected override async ValueTask DisposeOwnAsync()
    {
        if (_steps is not null)
        {
            await _steps.DisposeAsync();
        }
    }
}
