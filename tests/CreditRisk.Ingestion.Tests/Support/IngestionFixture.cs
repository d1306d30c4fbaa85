using CreditRisk.Testing.Hosting;

namespace CreditRisk.Ingestion.Tests.Support;

/// <summary>A dev broker in-process, the real Redis (own key prefix) and one ingestion instance over both.</summary>
public sealed class IngestionFixture : ServiceFixture<IngestionServiceHost>
{
    /// <summary>The dedup key prefix every instance of this fixture shares.</summary>
    public string DedupKeyPrefix => Redis.KeyPrefix + "dedup:";

    /// <summary>Another instance of the service over the same broker and dedup store.</summary>
    public Task<IngestionServiceHost> StartInstanceAsync() =>
        IngestionServiceHost.StartAsync(BootstrapServers, DedupKeyPrefix, provisionTopics: false);

    protected override Task<IngestionServiceHost> StartServiceAsync() => IngestionServiceHost.StartAsync(BootstrapServers, DedupKeyPrefix);
}
