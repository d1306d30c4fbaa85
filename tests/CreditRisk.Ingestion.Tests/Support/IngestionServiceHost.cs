using CreditRisk.Contracts.Ingestion.V1;
using CreditRisk.Ingestion.Grpc;
using CreditRisk.Testing.Hosting;

namespace CreditRisk.Ingestion.Tests.Support;

/// <summary>One instance of the ingestion service against the real broker and Redis.</summary>
public sealed class IngestionServiceHost : ServiceHost<IngestionGrpcService>
{
    private IngestionServiceHost(ServiceHostOptions options) : base(options)
    {
    }

    /// <summary>A client with the writer role, as a loan system has.</summary>
    public IngestionService.IngestionServiceClient Client => ClientFor<IngestionService.IngestionServiceClient>(TestApiKeys.Writer);

    /// <param name="bootstrapServers">The broker; a dead address makes every publish fail.</param>
    /// <param name="dedupKeyPrefix">Instances sharing it share the dedup store.</param>
    /// <param name="settings">Configuration over the test's.</param>
    public static Task<IngestionServiceHost> StartAsync(
        string bootstrapServers,
        string dedupKeyPrefix,
        bool provisionTopics = true,
        IDictionary<string, string?>? settings = null)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["Kafka:ProvisionTopics"] = provisionTopics ? "true" : "false",
            ["Idempotency:KeyPrefix"] = dedupKeyPrefix,
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[name] = value;
        }
        return StartedAsync(new IngestionServiceHost(new ServiceHostOptions { BootstrapServers = bootstrapServers, Settings = configuration }));
    }
}
