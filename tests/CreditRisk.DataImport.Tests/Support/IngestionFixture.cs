using CreditRisk.Ingestion.Grpc;
using CreditRisk.Testing.Hosting;
using Grpc.AspNetCore.Server;
using Microsoft.Extensions.DependencyInjection;

namespace CreditRisk.DataImport.Tests.Support;

/// <summary>What an import talks to: the ingestion service over an in-process dev broker and the real Redis, noting the API keys it is sent.</summary>
public sealed class IngestionFixture : ServiceFixture<ServiceHost<IngestionGrpcService>>
{
    public ApiKeysSeen ApiKeys { get; } = new();

    protected override Task<ServiceHost<IngestionGrpcService>> StartServiceAsync() => ServiceHost<IngestionGrpcService>.StartAsync(new ServiceHostOptions
    {
        BootstrapServers = BootstrapServers,
        Settings = new Dictionary<string, string?> { ["Idempotency:KeyPrefix"] = Redis.KeyPrefix },
        ConfigureServices = services => services
            .AddSingleton(ApiKeys)
            .Configure<GrpcServiceOptions>(options => options.Interceptors.Add<ApiKeyCapture>()),
    });
}
