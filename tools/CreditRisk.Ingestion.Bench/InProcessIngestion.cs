using CreditRisk.Benchmarking;
using CreditRisk.DevBroker;
using CreditRisk.Ingestion.Grpc;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CreditRisk.Ingestion.Bench;

/// <summary>A dev broker and the ingestion service (built as Program.cs builds it) in this process.</summary>
public sealed class InProcessIngestion : IAsyncDisposable
{
    private readonly KafkaDevBroker _broker;
    private readonly WebApplication _app;
    private readonly string _dataDirectory;

    private InProcessIngestion(KafkaDevBroker broker, WebApplication app, string dataDirectory, string address, string apiKey)
    {
        _broker = broker;
        _app = app;
        _dataDirectory = dataDirectory;
        Address = address;
        ApiKey = apiKey;
    }

    public string Address { get; }

    /// <summary>A writer key made up for this run.</summary>
    public string ApiKey { get; }

    public static async Task<InProcessIngestion> StartAsync()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "creditrisk-ingestion-bench-" + Guid.NewGuid().ToString("N"));
        var broker = new KafkaDevBroker(new BrokerOptions { DataDirectory = dataDirectory, Port = 0 });
        await broker.StartAsync(CancellationToken.None);

        var grpcPort = FreePort.Next();
        var apiKey = "bench-" + Guid.NewGuid().ToString("N");
        var app = BenchService.Build(grpcPort, new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = broker.BootstrapServers,
            ["Redis:Configuration"] = Environment.GetEnvironmentVariable("Redis__Configuration") ?? "127.0.0.1:6379",
            // Own keys, gone soon after the run.
            ["Idempotency:KeyPrefix"] = $"bench:ingestion:{Guid.NewGuid():N}:",
            ["Idempotency:RetentionPeriod"] = "00:10:00",
            ["ApiKeys:bench:Key"] = apiKey,
            ["ApiKeys:bench:Roles"] = "writer",
        }, builder => builder.AddApplicationServices(), app => app.MapApplicationEndpoints(), typeof(IngestionGrpcService).Assembly.GetName().Name);
        await app.StartAsync();
        return new InProcessIngestion(broker, app, dataDirectory, $"http://127.0.0.1:{grpcPort}", apiKey);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _broker.StopAsync();
        await _broker.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is not worth failing the run over.
        }
    }
}
