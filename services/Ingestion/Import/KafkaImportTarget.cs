using CreditRisk.Contracts.Ingestion.V1;
using CreditRisk.Ingestion.Ingestion;

namespace CreditRisk.Ingestion.Import;

/// <summary>
/// Runs the ingestion pipeline in this process and publishes straight to Kafka through the messaging
/// library — the same validation and Redis dedup as the service, without a running service.
/// Configuration from the environment: Kafka__BootstrapServers, Redis__Configuration.
/// </summary>
public sealed class KafkaImportTarget : IImportTarget
{
    private readonly IHost _host;
    private readonly EventIngestor _ingestor;

    private KafkaImportTarget(IHost host)
    {
        _host = host;
        _ingestor = host.Services.GetRequiredService<EventIngestor>();
    }

    public string Description { get; private init; } = "kafka";

    /// <param name="settings">Configuration over the environment's (e.g. "Kafka:BootstrapServers").</param>
    public static async Task<KafkaImportTarget> StartAsync(CancellationToken cancellationToken, IDictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = "creditrisk-ingestion-import",
            ContentRootPath = AppContext.BaseDirectory,
        });
        // The import prints its own progress; the host's start/stop chatter would drown it.
        builder.Configuration["Logging:LogLevel:Default"] = "Warning";
        builder.Configuration["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning";
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }
        builder.AddKafkaEventBus();
        builder.AddIngestionPipeline();
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new KafkaImportTarget(host)
        {
            Description = $"Kafka {builder.Configuration["Kafka:BootstrapServers"]} (dedup: Redis {builder.Configuration["Redis:Configuration"]})",
        };
    }

    public Task<IReadOnlyList<SubmitResult>> SubmitAsync(IReadOnlyList<SubmitRequest> batch, CancellationToken cancellationToken) =>
        _ingestor.IngestAsync(batch, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
