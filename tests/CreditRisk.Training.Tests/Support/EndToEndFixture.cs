using CreditRisk.Contracts.Registry.V1;
using CreditRisk.Contracts.Training.V1;
using CreditRisk.Registry.GrpcApi;
using CreditRisk.Testing.Hosting;
using CreditRisk.Training.Labels;
using Microsoft.Extensions.DependencyInjection;

namespace CreditRisk.Training.Tests.Support;

/// <summary>
/// The training service as deployed, in-process: its real Program (engine, the six steps, label consumer, API) with
/// its clients pointed at a real features service and a real registry, over the platform's infrastructure.
/// </summary>
public sealed class EndToEndFixture : PlatformFixture
{
    public ServiceHost<LabelStore> Training { get; private set; } = null!;

    public ServiceHost<RegistryGrpcService> Registry { get; private set; } = null!;

    public TrainingService.TrainingServiceClient TrainingClient => Training.ClientFor<TrainingService.TrainingServiceClient>(TestApiKeys.Writer);

    public RegistryService.RegistryServiceClient RegistryClient => Registry.ClientFor<RegistryService.RegistryServiceClient>(TestApiKeys.Reader);

    protected override async Task StartServicesAsync()
    {
        var features = await StartFeaturesAsync("features-e2e");
        Registry = await StartRegistryAsync();
        Training = await Started(ServiceHost<LabelStore>.StartAsync(new ServiceHostOptions
        {
            BootstrapServers = Broker.BootstrapServers,
            PostgresConnectionString = TrainingDatabase.ConnectionString,
            Settings = new Dictionary<string, string?>
            {
                ["Services:Features:Address"] = features.Server.BaseAddress.ToString(),
                ["Services:Features:ApiKey"] = TestApiKeys.Reader,
                ["Services:Registry:Address"] = Registry.Server.BaseAddress.ToString(),
                ["Services:Registry:ApiKey"] = TestApiKeys.Admin,
            },
            // The test servers answer in memory: the clients reach them through their handlers.
            ConfigureServices = services =>
            {
                services.AddHttpClient(TrainingStepsExtensions.FeaturesService).ConfigurePrimaryHttpMessageHandler(() => features.Server.CreateHandler());
                services.AddHttpClient(TrainingStepsExtensions.RegistryService).ConfigurePrimaryHttpMessageHandler(() => Registry.Server.CreateHandler());
            },
        }));
    }
}
