using CreditRisk.Contracts.Registry.V1;
using CreditRisk.Features.Grpc;
using CreditRisk.Registry.GrpcApi;
using CreditRisk.Testing;
using CreditRisk.Testing.Hosting;
using CreditRisk.Testing.Kafka;
using CreditRisk.Testing.Postgres;
using CreditRisk.Testing.Redis;
using CreditRisk.Training.Labels;
using CreditRisk.Training.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CreditRisk.Training.Tests.Support;

/// <summary>
/// What the pipeline steps talk to, all real and in-process: a dev broker, the training host (its label consumer), the
/// features service (processor and retrieval API) over Redis and its own database, and the registry on a third database.
/// The steps come from <c>AddTrainingSteps</c>, their gRPC clients pointed at the test servers.
/// </summary>
public sealed class StepsFixture : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _hosts = [];
    private ServiceProvider? _steps;
    private readonly string _artifactRoot = Path.Combine(Path.GetTempPath(), "training-steps-tests", Guid.NewGuid().ToString("N"));

    public DevBrokerFixture Broker { get; } = new();

    public PostgresFixture TrainingDatabase { get; } = new();

    public PostgresFixture FeaturesDatabase { get; } = new();

    public PostgresFixture RegistryDatabase { get; } = new();

    public RedisFixture Redis { get; } = new();

    public ServiceHost<LabelStore> Training { get; private set; } = null!;

    public ServiceHost<FeatureRetrievalGrpcService> Features { get; private set; } = null!;

    public ServiceHost<RegistryGrpcService> Registry { get; private set; } = null!;

    public RegistryService.RegistryServiceClient RegistryClient => Registry.ClientFor<RegistryService.RegistryServiceClient>(TestApiKeys.Admin);

    public const string FeaturesGroup = "features-steps";

    public IPipelineStep Step(string name) => _steps!.GetServices<IPipelineStep>().Single(step => step.Name == name);

    public IReadOnlyList<IPipelineStep> Steps => _steps!.GetServices<IPipelineStep>().ToList();

    public async ValueTask InitializeAsync()
    {
        await Broker.InitializeAsync();
        await TrainingDatabase.InitializeAsync();
        await FeaturesDatabase.InitializeAsync();
        await RegistryDatabase.InitializeAsync();
        await Redis.InitializeAsync();
        Training = await Started(ServiceHost<LabelStore>.StartAsync(new ServiceHostOptions
        {
            BootstrapServers = Broker.BootstrapServers,
            PostgresConnectionString = TrainingDatabase.ConnectionString,
        }));
        Features = await Started(PlatformServices.StartFeaturesAsync(Broker, FeaturesDatabase, Redis, FeaturesGroup));
        Registry = await Started(PlatformServices.StartRegistryAsync(Broker, RegistryDatabase, _artifactRoot));

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

    private async Task<T> Started<T>(Task<T> starting) where T : IAsyncDisposable
    {
        var host = await starting;
        _hosts.Add(host);
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        if (_steps is not null)
        {
            await _steps.DisposeAsync();
        }
        foreach (var host in Enumerable.Reverse(_hosts))
        {
            await host.DisposeAsync();
        }
        await Redis.DisposeAsync();
        await RegistryDatabase.DisposeAsync();
        await FeaturesDatabase.DisposeAsync();
        await TrainingDatabase.DisposeAsync();
        await Broker.DisposeAsync();
        if (Directory.Exists(_artifactRoot))
        {
            Directory.Delete(_artifactRoot, recursive: true);
        }
    }
}
