using CreditRisk.Testing.Kafka;
using CreditRisk.Testing.Redis;

namespace CreditRisk.Ingestion.Tests.Support;

/// <summary>A dev broker in-process, the real Redis (own key prefix) and one service instance over both.</summary>
public sealed class IngestionFixture : IAsyncLifetime
{
    private readonly DevBrokerFixture _broker = new();
    private readonly RedisFixture _redis = new();
    private IngestionServiceHost? _service;

    public DevBrokerFixture Broker => _broker;

    public RedisFixture Redis => _redis;

    public string BootstrapServers => _broker.BootstrapServers;

    /// <summary>The dedup key prefix every instance of this fixture shares.</summary>
    public string DedupKeyPrefix => _redis.KeyPrefix + "dedup:";

    public IngestionServiceHost Service => _service ?? throw new InvalidOperationException("not started");

    /// <summary>Another instance of the service over the same broker and dedup store.</summary>
    public Task<IngestionServiceHost> StartInstanceAsync() =>
        IngestionServiceHost.StartAsync(BootstrapServers, DedupKeyPrefix, provisionTopics: false);

    public async ValueTask InitializeAsync()
    {
        await _broker.InitializeAsync();
        await _redis.InitializeAsync();
        _service = await IngestionServiceHost.StartAsync(BootstrapServers, DedupKeyPrefix);
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
