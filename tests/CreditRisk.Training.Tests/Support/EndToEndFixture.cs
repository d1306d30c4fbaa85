using CreditRisk.Contracts.Registry.V1;
using CreditRisk.Contracts.Training.V1;
using CreditRisk.Features.Grpc;
using CreditRisk.Registry.GrpcApi;
using CreditRisk.Testing;
using CreditRisk.Testing.Hosting;
using CreditRisk.Testing.Kafka;
using CreditRisk.Testing.Postgres;
using CreditRisk.Testing.Redis;
using CreditRisk.Training.Labels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CreditRisk.Training.Tests.Support;

/// <summary>
/// The training service as deployed, in-process: its real Program (engine, the six steps, label consumer, API) with
/// its clients pointed at a real features service and a real registry, over a dev broker, Redis and three databases.
/// </summary>
public sealed class EndToEndFixture : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _hosts = [];
    private readonly string _artifactRoot = Path.Combine(Path.GetTempPath(), "training-e2e-tests", Guid.NewGuid().ToString("N"));

    public DevBrokerFixture Broker { get; } = new();

    public PostgresFixture TrainingDatabase { get; } = new();

    public PostgresFixture FeaturesDatabase { get; } = new();

    public PostgresFixture RegistryDatabase { get; } = new();

    public RedisFixture Redis { get; } = new();

    public ServiceHost<LabelStore> Training { get; private set; } = null!;

    public ServiceHost<RegistryGrpcService> Registry { get; private set; } = null!;

    public TrainingService.TrainingServiceClient TrainingClient => Training.ClientFor<TrainingService.TrainingServiceClient>(TestApiKeys.Writer);

    public RegistryService.RegistryServiceClient RegistryClient => Registry.ClientFor<RegistryService.RegistryServiceClient>(TestApiKeys.Reader);

    public async ValueTask InitializeAsync()
    {
        await Broker.InitializeAsync();
        await TrainingDatabase.InitializeAsync();
        await FeaturesDatabase.InitializeAsync();
        await RegistryDatabase.InitializeAsync();
        await Redis.InitializeAsync();
        var features = await Started(PlatformServices.StartFeaturesAsync(Broker, FeaturesDatabase, Redis, "features-e2e"));
        Registry = await Started(PlatformServices.StartRegistryAsync(Broker, RegistryDatabase, _artifactRoot));
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

    private async Task<T> Started<T>(Task<T> starting) where T : IAsyncDisposable
    {
        var host = await starting;
        _hosts.Add(host);
        return host;
    }

    public async ValueTask DisposeAsync()
    {
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
