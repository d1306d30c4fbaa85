using CreditRisk.Contracts.Ingestion.V1;
using CreditRisk.Ingestion.Grpc;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CreditRisk.Ingestion.Tests.Support;

/// <summary>
/// One instance of the ingestion service, built as Program.cs builds it, served in-process by TestServer
/// against the real broker and Redis. Several hosts with the same settings are several instances.
/// </summary>
public sealed class IngestionServiceHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private bool _stopped;

    private IngestionServiceHost(WebApplication app)
    {
        _app = app;
        Channel = GrpcChannel.ForAddress(app.GetTestServer().BaseAddress, new GrpcChannelOptions
        {
            HttpHandler = app.GetTestServer().CreateHandler(),
            MaxReceiveMessageSize = null,
        });
        Client = new IngestionService.IngestionServiceClient(Channel);
    }

    public GrpcChannel Channel { get; }

    public IngestionService.IngestionServiceClient Client { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Plain HTTP to the service (health, metrics).</summary>
    public HttpClient CreateHttpClient() => _app.GetTestServer().CreateClient();

    /// <param name="bootstrapServers">The broker; a dead address makes every publish fail.</param>
    /// <param name="dedupKeyPrefix">Instances sharing it share the dedup store.</param>
    public static async Task<IngestionServiceHost> StartAsync(
        string bootstrapServers,
        string dedupKeyPrefix,
        bool provisionTopics = true,
        IDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            // The service assembly, as in the real service (the web host loads startup code from it).
            ApplicationName = typeof(IngestionGrpcService).Assembly.GetName().Name,
            EnvironmentName = "Production",
        });
        builder.WebHost.UseTestServer();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = bootstrapServers,
            ["Kafka:ProvisionTopics"] = provisionTopics ? "true" : "false",
            ["Kafka:Producer:message.timeout.ms"] = "30000",
            ["Redis:Configuration"] = Testing.InfrastructureSettings.RedisConfiguration,
            ["Idempotency:KeyPrefix"] = dedupKeyPrefix,
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }
        builder.AddServiceDefaults();
        builder.AddApplicationServices();

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapGrpcService<IngestionGrpcService>();
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new IngestionServiceHost(app);
    }

    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }
        _stopped = true;
        Channel.Dispose();
        await _app.StopAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
    }
}
