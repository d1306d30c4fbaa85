using CreditRisk.Contracts.Events.V1;
using CreditRisk.Contracts.Registry.V1;
using CreditRisk.Messaging.Publishing;
using CreditRisk.Drift.Service.Api;
using CreditRisk.Registry.GrpcApi;
using CreditRisk.Testing.Hosting;
using CreditRisk.Testing.Kafka;
using CreditRisk.Testing.Postgres;
using Google.Protobuf;

namespace CreditRisk.Drift.Tests.Support;

/// <summary>
/// What drift monitoring talks to, real and in-process: the assembly's dev broker and a registry on its own database,
/// where a test registers model versions with (or without) the credit applications' reference profile.
/// </summary>
public sealed class DriftEnvironment(DevBrokerFixture broker) : IAsyncLifetime
{
    private readonly string _artifactRoot = Path.Combine(Path.GetTempPath(), "drift-tests", Guid.NewGuid().ToString("N"));
    private ServiceHost<RegistryGrpcService>? _registry;

    public DevBrokerFixture Broker { get; } = broker;

    public PostgresFixture RegistryDatabase { get; } = new();

    public ServiceHost<RegistryGrpcService> Registry => _registry ?? throw new InvalidOperationException("not initialised");

    public RegistryService.RegistryServiceClient RegistryAdmin => Registry.ClientFor<RegistryService.RegistryServiceClient>(TestApiKeys.Admin);

    public async ValueTask InitializeAsync()
    {
        await RegistryDatabase.InitializeAsync();
        // On loopback sockets, so a drift service in a process of its own reaches it as well.
        _registry = await ServiceHost<RegistryGrpcService>.StartAsync(
            RegistryHostOptions.For(Broker.BootstrapServers, RegistryDatabase.ConnectionString, _artifactRoot) with { Loopback = true });
    }

    public async ValueTask DisposeAsync()
    {
        if (_registry is not null) await _registry.DisposeAsync();
        await RegistryDatabase.DisposeAsync();
        if (Directory.Exists(_artifactRoot)) Directory.Delete(_artifactRoot, recursive: true);
    }

    /// <summary>The registry's gRPC address.</summary>
    public string RegistryAddress => Registry.Loopback!.Grpc.ToString();

    /// <summary>Publishes through the registry's event bus, as scoring and ingestion would, whether a drift service runs or not.</summary>
    public async Task PublishAsync(IEnumerable<IIntegrationEvent> events)
    {
        var publisher = Registry.Get<IEventPublisher>();
        await Task.WhenAll(events.Select(@event => publisher.PublishAsync(@event, TestContext.Current.CancellationToken)));
    }

    /// <summary>A model name of its own for a test.</summary>
    public static string NewModelName() => $"drift-{Guid.NewGuid():N}"[..20];

    /// <summary>Registers the next version of <paramref name="model"/>, with the credit applications' profile unless told not to.</summary>
    public async Task<int> RegisterAsync(string model, bool withProfile = true)
    {
        var cancellation = TestContext.Current.CancellationToken;
        var experiment = await RegistryAdmin.CreateExperimentAsync(new CreateExperimentRequest { Name = $"{model}-{Guid.NewGuid():N}" }, cancellationToken: cancellation);
        var run = await RegistryAdmin.CreateRunAsync(new CreateRunRequest { ExperimentId = experiment.ExperimentId }, cancellationToken: cancellation);
        var artifact = await UploadAsync(run.RunId, "model/model.zip", "not a model: drift monitoring never loads it"u8.ToArray());
        var request = new CreateModelVersionRequest
        {
            ModelName = model, RunId = run.RunId, ArtifactSha256 = artifact.Sha256, FeatureService = "credit_applications", FeatureServiceVersion = 1,
        };
        if (withProfile)
        {
            request.ReferenceProfileSha256 = (await UploadAsync(run.RunId, "model/reference_profile.json", CreditApplications.Data.Profile.ToJsonBytes())).Sha256;
        }
        return (await RegistryAdmin.CreateModelVersionAsync(request, cancellationToken: cancellation)).Version;
    }

    /// <summary>
    /// A drift service monitoring only <paramref name="model"/>, on <paramref name="database"/> (a fresh one when null),
    /// in a consumer group of its own unless <paramref name="consumerGroup"/> names one; settings override the defaults.
    /// </summary>
    public async Task<DriftMonitor> StartMonitorAsync(string model, IReadOnlyDictionary<string, string?>? settings = null,
        PostgresFixture? database = null, string? consumerGroup = null)
    {
        var owned = database is null;
        if (database is null)
        {
            database = new PostgresFixture();
            await database.InitializeAsync();
        }
        var all = new Dictionary<string, string?>
        {
            ["Kafka:StatisticsIntervalMs"] = "0",
            ["Kafka:Consumer:session.timeout.ms"] = "6000",
            ["Kafka:Consumer:heartbeat.interval.ms"] = "500",
            ["Kafka:Producer:linger.ms"] = "1",
            ["Drift:ConsumerGroup"] = consumerGroup ?? $"drift-{Guid.NewGuid():N}",
            ["Drift:Models:0"] = model,
            ["Drift:WindowSize"] = "200",
            ["Drift:MinWindowSize"] = "50",
            ["Drift:SweepInterval"] = "00:00:00.200",
            ["Drift:Outbox:PollIntervalMs"] = "100",
            ["Services:Registry:Address"] = RegistryAddress,
            ["Services:Registry:ApiKey"] = TestApiKeys.Reader,
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string?>())
        {
            all[name] = value;
        }
        var host = await ServiceHost<DriftGrpcService>.StartAsync(new ServiceHostOptions
        {
            BootstrapServers = Broker.BootstrapServers,
            PostgresConnectionString = database.ConnectionString,
            Settings = all,
        });
        return new DriftMonitor(host, database, owned, model);
    }

    private async Task<ArtifactInfo> UploadAsync(string runId, string path, byte[] content)
    {
        var cancellation = TestContext.Current.CancellationToken;
        using var upload = RegistryAdmin.UploadArtifact(cancellationToken: cancellation);
        await upload.RequestStream.WriteAsync(new ArtifactChunk { RunId = runId, Path = path }, cancellation);
        await upload.RequestStream.WriteAsync(new ArtifactChunk { Data = ByteString.CopyFrom(content) }, cancellation);
        await upload.RequestStream.CompleteAsync();
        return await upload;
    }
}
