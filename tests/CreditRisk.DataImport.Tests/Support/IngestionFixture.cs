using CreditRisk.Ingestion.Grpc;
using CreditRisk.Testing.Hosting;
using CreditRisk.Testing.Kafka;
using CreditRisk.Testing.Redis;
using Grpc.AspNetCore.Server;
using Microsoft.Extensions.DependencyInjection;

namespace CreditRisk.DataImport.Tests.Support;

/// <summary>What an import talks to: the ingestion service over an in-process dev broker and the real Redis (own key prefix).</summary>
public sealed class IngestionFixture : IAsyncLifetime
{
    private readonly DevBrokerFixture _broker = new();
    private readonly RedisFixture _redis = new();
    private ServiceHost<IngestionGrpcService>? _service;

    public string BootstrapServers => _broker.BootstrapServers;

    public ServiceHost<IngestionGrpcService> Service => _service ?? throw new InvalidOperationException("not started");

    public ApiKeysSeen ApiKeys { get; } = new();

    public async ValueTask InitializeAsync()
    {
        await _broker.InitializeAsync();
        await _redis.InitializeAsync();
        _service = await ServiceHost<IngestionGrpcService>.StartAsync(new ServiceHostOptions
        {
            BootstrapServers = _broker.BootstrapServers,
            Settings = new Dictionary<string, string?> { ["Idempotency:KeyPrefix"] = _redis.KeyPrefix },
            ConfigureServices = services => services
                .AddSingleton(ApiKeys)
                .Configure<GrpcServiceOptions>(options => options.Interceptors.Add<ApiKeyCapture>()),
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }
        await _redis.DisposeAsync();
        await _broker.DisposeAsync();
    }
}
