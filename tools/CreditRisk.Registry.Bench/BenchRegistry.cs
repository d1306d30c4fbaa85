using CreditRisk.Benchmarking;
using CreditRisk.Contracts.Registry.V1;
using CreditRisk.Contracts.Rpc;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace CreditRisk.Registry.Bench;

/// <summary>The registry as Program.cs builds it, on Kestrel (h2c on a free loopback port), with a key made up for this run.</summary>
public sealed class BenchRegistry : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly GrpcChannel _channel;

    private BenchRegistry(WebApplication app, GrpcChannel channel, RegistryService.RegistryServiceClient client)
    {
        _app = app;
        _channel = channel;
        Client = client;
    }

    public RegistryService.RegistryServiceClient Client { get; }

    public static async Task<BenchRegistry> StartAsync(string connectionString)
    {
        var apiKey = Guid.NewGuid().ToString("N");
        var grpcPort = FreePort.Next();
        var app = BenchService.Build(grpcPort,
        [
            new("ConnectionStrings:Postgres", connectionString),
            new("Kafka:ProvisionTopics", "false"),
            new("Registry:Outbox:RelayEnabled", "false"),
            new("Registry:Artifacts:RootPath", Path.Combine(Path.GetTempPath(), "registry-bench-artifacts")),
            new("ApiKeys:bench:Key", apiKey),
            new("ApiKeys:bench:Roles", "reader,writer,promoter"),
        ], builder => builder.AddApplicationServices(), app => app.MapApplicationEndpoints());
        await app.StartAsync();

        var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        var client = new RegistryService.RegistryServiceClient(channel.WithApiKey(apiKey));
        return new BenchRegistry(app, channel, client);
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
