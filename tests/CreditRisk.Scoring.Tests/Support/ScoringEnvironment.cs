using CreditRisk.Contracts.Common.V1;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Contracts.Registry.V1;
using CreditRisk.Contracts.Scoring.V1;
using CreditRisk.Contracts.Topics;
using CreditRisk.FeatureStore;
using CreditRisk.Registry.GrpcApi;
using CreditRisk.Scoring.Grpc;
using CreditRisk.Testing;
using CreditRisk.Testing.Hosting;
using CreditRisk.Testing.Kafka;
using CreditRisk.Testing.Postgres;
using CreditRisk.Testing.Redis;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace CreditRisk.Scoring.Tests.Support;

/// <summary>
/// Everything scoring talks to, real and in-process: the assembly's dev broker, a registry on its own database, Redis
/// (the online store under its own key prefix), an offline store database for historical retrieval, and scoring hosts
/// started by the test, each serving this environment's own model name.
/// </summary>
public sealed class ScoringEnvironment(DevBrokerFixture broker) : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _hosts = [];
    private readonly string _artifactRoot = Path.Combine(Path.GetTempPath(), "scoring-tests", Guid.NewGuid().ToString("N"));
    private NpgsqlDataSource? _offlineDataSource;
    private string? _experimentId;

    public DevBrokerFixture Broker { get; } = broker;

    public PostgresFixture RegistryDatabase { get; } = new();

    public PostgresFixture OfflineDatabase { get; } = new();

    public RedisFixture Redis { get; } = new();

    public ServiceHost<RegistryGrpcService> Registry { get; private set; } = null!;

    public RegistryService.RegistryServiceClient RegistryAdmin => Registry.ClientFor<RegistryService.RegistryServiceClient>(TestApiKeys.Admin);

    public RedisOnlineStore OnlineStore { get; private set; } = null!;

    public PostgresOfflineStore OfflineStore { get; private set; } = null!;

    /// <summary>The model this environment registers and its scoring hosts serve.</summary>
    public string ModelName { get; } = $"credit-{Guid.NewGuid():N}"[..20];

    public async ValueTask InitializeAsync()
    {
        await RegistryDatabase.InitializeAsync();
        await OfflineDatabase.InitializeAsync();
        await Redis.InitializeAsync();
        _offlineDataSource = OfflineDatabase.CreateDataSource();
        OfflineStore = new PostgresOfflineStore(_offlineDataSource);
        await OfflineStore.MigrateAsync();
        OnlineStore = new RedisOnlineStore(Redis.Connection, new RedisOnlineStoreOptions { KeyPrefix = Redis.KeyPrefix + "fs:" });
        Registry = await Started(ServiceHost<RegistryGrpcService>.StartAsync(
            RegistryHostOptions.For(Broker.BootstrapServers, RegistryDatabase.ConnectionString, _artifactRoot)));
    }

    /// <summary>
    /// A scoring instance for <see cref="ModelName"/>; <paramref name="settings"/> override the test defaults;
    /// <paramref name="loopback"/> serves it on real loopback ports (<see cref="ServiceHost{TEntryPoint}.Loopback"/>).
    /// </summary>
    public async Task<ServiceHost<ScoringGrpcService>> StartScoringAsync(
        IReadOnlyDictionary<string, string?>? settings = null, string? modelName = null, bool loopback = false)
    {
        var all = new Dictionary<string, string?>
        {
            ["Kafka:StatisticsIntervalMs"] = "0",
            ["Kafka:Consumer:session.timeout.ms"] = "6000",
            ["Kafka:Consumer:heartbeat.interval.ms"] = "500",
            ["Kafka:Producer:linger.ms"] = "1",
            ["OnlineStore:KeyPrefix"] = Redis.KeyPrefix + "fs:",
            ["Scoring:IdempotencyKeyPrefix"] = Redis.KeyPrefix + "request:",
            ["Scoring:ModelName"] = modelName ?? ModelName,
            ["Scoring:ReconcileInterval"] = "00:00:05",
            ["Scoring:InitialRetryInterval"] = "00:00:00.200",
            ["Services:Registry:Address"] = Registry.Server.BaseAddress.ToString(),
            ["Services:Registry:ApiKey"] = TestApiKeys.Reader,
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string?>())
        {
            all[name] = value;
        }
        return await Started(ServiceHost<ScoringGrpcService>.StartAsync(new ServiceHostOptions
        {
            BootstrapServers = Broker.BootstrapServers,
            Settings = all,
            Loopback = loopback,
            ConfigureServices = services => services.AddHttpClient("Registry").ConfigurePrimaryHttpMessageHandler(() => Registry.Server.CreateHandler()),
        }));
    }

    /// <summary>A scoring host that is ready (its model loaded).</summary>
    public async Task<ServiceHost<ScoringGrpcService>> StartReadyScoringAsync(IReadOnlyDictionary<string, string?>? settings = null, bool loopback = false)
    {
        var host = await StartScoringAsync(settings, loopback: loopback);
        await WaitReadyAsync(host);
        return host;
    }

    public static async Task WaitReadyAsync(ServiceHost<ScoringGrpcService> host)
    {
        using var http = host.CreateHttpClient();
        await Eventually.ThatAsync(async () => (await http.GetAsync("/health/ready")).IsSuccessStatusCode, TimeSpan.FromSeconds(60), "scoring to be ready");
    }

    public static ScoringService.ScoringServiceClient Client(ServiceHost<ScoringGrpcService> host, string? apiKey = null) =>
        host.ClientFor<ScoringService.ScoringServiceClient>(apiKey ?? TestApiKeys.Writer);

    /// <summary>Uploads <paramref name="artifact"/> to a new run and registers it as the next version of <see cref="ModelName"/>.</summary>
    public async Task<int> RegisterAsync(byte[] artifact)
    {
        var cancellation = TestContext.Current.CancellationToken;
        _experimentId ??= (await RegistryAdmin.CreateExperimentAsync(new CreateExperimentRequest { Name = ModelName }, cancellationToken: cancellation)).ExperimentId;
        var run = await RegistryAdmin.CreateRunAsync(new CreateRunRequest { ExperimentId = _experimentId }, cancellationToken: cancellation);
        using var upload = RegistryAdmin.UploadArtifact(cancellationToken: cancellation);
        await upload.RequestStream.WriteAsync(new ArtifactChunk { RunId = run.RunId, Path = "model/model.zip" }, cancellation);
        for (var offset = 0; offset < artifact.Length; offset += 64 * 1024)
        {
            await upload.RequestStream.WriteAsync(new ArtifactChunk { Data = ByteString.CopyFrom(artifact, offset, Math.Min(64 * 1024, artifact.Length - offset)) }, cancellation);
        }
        await upload.RequestStream.CompleteAsync();
        var info = await upload;
        var version = await RegistryAdmin.CreateModelVersionAsync(new CreateModelVersionRequest
        {
            ModelName = ModelName,
            RunId = run.RunId,
            FeatureService = TestModels.Service.Name,
            FeatureServiceVersion = TestModels.Service.Version,
            ArtifactSha256 = info.Sha256,
        }, cancellationToken: cancellation);
        return version.Version;
    }

    /// <summary>Moves the champion alias (a promotion, or a rollback when it moves back).</summary>
    public Task<AliasMove> PromoteAsync(int version, string alias = "champion") =>
        RegistryAdmin.SetAliasAsync(new SetAliasRequest { ModelName = ModelName, Alias = alias, Version = version, Reason = "test" },
            cancellationToken: TestContext.Current.CancellationToken).ResponseAsync;

    /// <summary>The bytes the registry stores for a digest (its content-addressed file), for tests that corrupt them.</summary>
    public IEnumerable<string> ArtifactFiles() => Directory.Exists(_artifactRoot) ? Directory.EnumerateFiles(_artifactRoot, "*", SearchOption.AllDirectories) : [];

    /// <summary>Writes customer feature rows to both stores, as the features service does.</summary>
    public async Task WriteAsync(params FeatureRow[] rows)
    {
        await OnlineStore.WriteAsync(rows);
        await OfflineStore.AppendAsync(rows);
    }

    /// <summary>Every prediction of this environment's model on the topic now.</summary>
    public List<PredictionLogged> Predictions() =>
        [.. TopicReader.ReadEvents<PredictionLogged>(Broker.BootstrapServers, TopicCatalogue.Predictions.Name)
            .Select(record => record.Event).Where(prediction => prediction.ModelName == ModelName)];

    public static ScoreRequest Request(string customerId, LoanApplication? application = null, string? requestId = null) => new()
    {
        RequestId = requestId ?? $"req-{Guid.NewGuid():N}",
        ApplicationId = $"app-{Guid.NewGuid():N}",
        CustomerId = customerId,
        Application = application ?? SampleApplication(),
    };

    public static LoanApplication SampleApplication() => new()
    {
        Amount = 1200, TermMonths = 36, Price = 1500, Income = 180, Expenses = 60, Assets = 3000, Debt = 200, AgeYears = 37, SeniorityYears = 6,
        Home = HomeOwnership.Owner, Marital = MaritalStatus.Married, Job = JobType.Fixed, HasPriorDefaultRecords = false,
    };

    public static FeatureRow Row(FeatureView view, string customerId, DateTimeOffset eventTime, params (string Name, FeatureValue Value)[] values)
    {
        var all = view.Features.ToDictionary(feature => feature.Name, _ => FeatureValues.Null, StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            all[name] = value;
        }
        return new FeatureRow(new EntityKey { Entity = view.Entity.Name, Id = customerId }, view.Name, view.Version, all,
            eventTime, eventTime, Guid.NewGuid().ToString()).Normalize();
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
        if (_offlineDataSource is not null)
        {
            await _offlineDataSource.DisposeAsync();
        }
        await Redis.DisposeAsync();
        await OfflineDatabase.DisposeAsync();
        await RegistryDatabase.DisposeAsync();
        if (Directory.Exists(_artifactRoot))
        {
            Directory.Delete(_artifactRoot, recursive: true);
        }
    }
}
