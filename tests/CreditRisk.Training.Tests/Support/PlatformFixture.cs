using CreditRisk.Features.Grpc;
using CreditRisk.Registry.GrpcApi;
using CreditRisk.Testing.Hosting;
using CreditRisk.Testing.Kafka;
using CreditRisk.Testing.Postgres;
using CreditRisk.Testing.Redis;
using Microsoft.Extensions.Hosting;

namespace CreditRisk.Training.Tests.Support;

/// <summary>
/// The infrastructure training talks to, all real: a dev broker, a database each for training, the features service and
/// the registry, and Redis. A subclass starts the service hosts it needs in <see cref="StartServicesAsync"/>; every host
/// started through <see cref="Started{T}"/> is disposed, last first, before the infrastructure.
/// </summary>
public abstract class PlatformFixture : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _hosts = [];
    private readonly string _artifactRoot = Path.Combine(Path.GetTempPath(), "training-tests-artifacts", Guid.NewGuid().ToString("N"));

    public DevBrokerFixture Broker { get; } = new();

    public PostgresFixture TrainingDatabase { get; } = new();

    public PostgresFixture FeaturesDatabase { get; } = new();

    public PostgresFixture RegistryDatabase { get; } = new();

    public RedisFixture Redis { get; } = new();

    public async ValueTask InitializeAsync()
    {
        await Broker.InitializeAsync();
        await TrainingDatabase.InitializeAsync();
        await FeaturesDatabase.InitializeAsync();
        await RegistryDatabase.InitializeAsync();
        await Redis.InitializeAsync();
        await StartServicesAsync();
    }

    protected abstract Task StartServicesAsync();

    protected async Task<T> Started<T>(Task<T> starting) where T : IAsyncDisposable
    {
        var host = await starting;
        _hosts.Add(host);
        return host;
    }

    /// <summary>The features service (processor and retrieval API), quick to checkpoint and accepting old event times.</summary>
    protected Task<ServiceHost<FeatureRetrievalGrpcService>> StartFeaturesAsync(string groupId) =>
        Started(ServiceHost<FeatureRetrievalGrpcService>.StartAsync(new ServiceHostOptions
        {
            Environment = Environments.Development,
            BootstrapServers = Broker.BootstrapServers,
            PostgresConnectionString = FeaturesDatabase.ConnectionString,
            Settings = new Dictionary<string, string?>
            {
                ["OnlineStore:KeyPrefix"] = Redis.KeyPrefix,
                ["FeatureProcessor:GroupId"] = groupId,
                ["FeatureProcessor:AllowedLateness"] = "365.00:00:00",
                ["FeatureProcessor:MaxBatchDelay"] = "00:00:00.020",
                ["FeatureProcessor:CheckpointInterval"] = "00:00:00.200",
                ["Kafka:Consumer:session.timeout.ms"] = "10000",
                ["Kafka:Consumer:heartbeat.interval.ms"] = "500",
            },
        }));

    /// <summary>The registry, its artifacts in a folder of the fixture's, relaying its outbox every 200 ms.</summary>
    protected Task<ServiceHost<RegistryGrpcService>> StartRegistryAsync() =>
        Started(ServiceHost<RegistryGrpcService>.StartAsync(RegistryHostOptions.For(Broker.BootstrapServers, RegistryDatabase.ConnectionString, _artifactRoot, outboxPollMs: 200)));

    /// <summary>What a subclass holds besides the hosts, released before them.</summary>
    protected virtual ValueTask DisposeOwnAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await DisposeOwnAsync();
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
        GC.SuppressFinalize(this);
    }
}
