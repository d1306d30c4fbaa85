using System.Globalization;
using CreditRisk.Contracts.Registry.V1;
using CreditRisk.Registry.GrpcApi;
using CreditRisk.Testing.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CreditRisk.Registry.Tests.Support;

/// <summary>One registry instance against real PostgreSQL and the dev broker, with the API keys of <see cref="TestApiKeys"/>.</summary>
public sealed class RegistryHost : ServiceHost<RegistryGrpcService>
{
    private readonly bool _ownsArtifactRoot;

    private RegistryHost(ServiceHostOptions options, string artifactRoot, bool ownsArtifactRoot) : base(options)
    {
        ArtifactRoot = artifactRoot;
        _ownsArtifactRoot = ownsArtifactRoot;
    }

    public string ArtifactRoot { get; }

    /// <summary>A client with every role.</summary>
    public RegistryService.RegistryServiceClient Admin => Client(TestApiKeys.Admin);

    public static Task<RegistryHost> StartAsync(
        string connectionString,
        string bootstrapServers,
        bool relayEnabled = true,
        long maxArtifactBytes = 64 * 1024 * 1024,
        string? artifactRoot = null,
        Action<IServiceCollection>? services = null)
    {
        var ownsArtifactRoot = artifactRoot is null;
        artifactRoot ??= Path.Combine(Path.GetTempPath(), "registry-tests", Guid.NewGuid().ToString("N"));
        var options = new ServiceHostOptions
        {
            Environment = Environments.Development,
            BootstrapServers = bootstrapServers,
            PostgresConnectionString = connectionString,
            Settings = new Dictionary<string, string?>
            {
                ["Kafka:StatisticsIntervalMs"] = "0",
                ["Registry:Artifacts:RootPath"] = artifactRoot,
                ["Registry:Artifacts:MaxArtifactBytes"] = maxArtifactBytes.ToString(CultureInfo.InvariantCulture),
                ["Registry:Outbox:RelayEnabled"] = relayEnabled ? "true" : "false",
                ["Registry:Outbox:PollIntervalMs"] = "200",
            },
            ConfigureServices = services,
        };
        return StartedAsync(new RegistryHost(options, artifactRoot, ownsArtifactRoot));
    }

    /// <summary>A client whose calls carry <paramref name="apiKey"/> (none when null).</summary>
    public RegistryService.RegistryServiceClient Client(string? apiKey = null) => new(CallInvoker(apiKey));

    public HttpClient Http(string? apiKey = null) => CreateHttpClient(apiKey);

    protected override async ValueTask DisposeApplicationAsync()
    {
        await base.DisposeApplicationAsync();
        if (_ownsArtifactRoot && Directory.Exists(ArtifactRoot))
        {
            Directory.Delete(ArtifactRoot, recursive: true);
        }
    }
}
