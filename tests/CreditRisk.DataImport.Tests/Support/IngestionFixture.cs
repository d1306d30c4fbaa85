using CreditRisk.Ingestion.Grpc;
using CreditRisk.Testing.Hosting;

namespace CreditRisk.DataImport.Tests.Support;

/// <summary>What an import talks to: the ingestion service over an in-process dev broker and the real Redis.</summary>
public sealed class IngestionFixture : ServiceFixture<ServiceHost<IngestionGrpcService>>
{
    protected override Task<ServiceHost<IngestionGrpcService>> StartServiceAsync() => ServiceHost<IngestionGrpcService>.StartAsync(new ServiceHostOptions
    {
        BootstrapServers = BootstrapServers,
        Settings = new Dictionary<string, string?> { ["Idempotency:KeyPrefix"] = Redis.KeyPrefix },
    });
}
