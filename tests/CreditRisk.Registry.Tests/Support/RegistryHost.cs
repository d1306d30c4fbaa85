using CreditRisk.Contracts.Registry.V1;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CreditRisk.Registry.Tests.Support;

/// <summary>The registry built exactly as Program.cs builds it, on a test server, against real PostgreSQL and the dev broker.</summary>
public sealed class RegistryHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly GrpcChannel _channel;
    private readonly string _artifactRoot;
    private readonly bool _ownsArtifactRoot;
    private bool _stopped;

    private RegistryHost(WebApplication app, string artifactRoot, bool ownsArtifactRoot)
    {
        _app = app;
        _artifactRoot = artifactRoot;
        _ownsArtifactRoot = ownsArtifactRoot;
        var server = app.GetTestServer();
        _channel = GrpcChannel.ForAddress(server.BaseAddress, new GrpcChannelOptions { HttpHandler = server.CreateHandler() });
    }

    public IServiceProvider Services => _app.Services;

    public string ArtifactRoot => _artifactRoot;

    public static async Task<RegistryHost> StartAsync(
        string connectionString,
        string bootstrapServers,
        bool relayEnabled = true,
        long maxArtifactBytes = 64 * 1024 * 1024,
        string? artifactRoot = null,
        Action<IServiceCollection>? services = null)
    {
        var ownsArtifactRoot = artifactRoot is null;
        artifactRoot ??= Path.Combine(Path.GetTempPath(), "registry-tests", Guid.NewGuid().ToString("N"));
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ApplicationName = typeof(RegistryHost).Assembly.GetName().Name, EnvironmentName = "Development" });
        builder.WebHost.UseTestServer();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(
        [
            new("ConnectionStrings:Postgres", connectionString),
            new("Kafka:BootstrapServers", bootstrapServers),
            new("Kafka:StatisticsIntervalMs", "0"),
            new("Registry:Artifacts:RootPath", artifactRoot),
            new("Registry:Artifacts:MaxArtifactBytes", maxArtifactBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("Registry:Outbox:RelayEnabled", relayEnabled ? "true" : "false"),
            new("Registry:Outbox:PollIntervalMs", "200"),
            .. TestApiKeys.Configuration(),
        ]);
        builder.AddServiceDefaults();
        builder.AddApplicationServices();
        services?.Invoke(builder.Services);

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapApplicationEndpoints();
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new RegistryHost(app, artifactRoot, ownsArtifactRoot);
    }

    /// <summary>A client whose calls carry <paramref name="apiKey"/> (none when null).</summary>
    public RegistryService.RegistryServiceClient Client(string? apiKey = null) =>
        new(apiKey is null
            ? _channel.CreateCallInvoker()
            : _channel.CreateCallInvoker().Intercept(metadata =>
            {
                metadata.Add("x-api-key", apiKey);
                return metadata;
            }));

    /// <summary>A client with every role.</summary>
    public RegistryService.RegistryServiceClient Admin => Client(TestApiKeys.Admin);

    public HttpClient Http(string? apiKey = null)
    {
        var client = _app.GetTestServer().CreateClient();
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("x-api-key", apiKey);
        }
        return client;
    }

    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }
        _stopped = true;
        await _app.StopAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await StopAsync();
        await _app.DisposeAsync();
        if (_ownsArtifactRoot && Directory.Exists(_artifactRoot))
        {
            Directory.Delete(_artifactRoot, recursive: true);
        }
    }
}
