using CreditRisk.Features.Grpc;
using CreditRisk.Registry.GrpcApi;
using CreditRisk.Testing.Hosting;
using CreditRisk.Testing.Kafka;
using CreditRisk.Testing.Postgres;
using CreditRisk.Testing.Redis;
using Microsoft.Extensions.Hosting;

namespace CreditRisk.Training.Tests.Support;

/// <summary>The services training calls, started in-process the way the training tests need them.</summary>
public static class PlatformServices
{
    /// <summary>The features service (processor and retrieval API), quick to checkpoint and accepting old event times.</summary>
    public static Task<ServiceHost<FeatureRetrievalGrpcService>> StartFeaturesAsync(DevBrokerFixture broker, PostgresFixture database,
        RedisFixture redis, string groupId) =>
        ServiceHost<FeatureRetrievalGrpcService>.StartAsync(new ServiceHostOptions
        {
            Environment = Environments.Development,
            BootstrapServers = broker.BootstrapServers,
            PostgresConnectionString = database.ConnectionString,
            Settings = new Dictionary<string, string?>
            {
                ["OnlineStore:KeyPrefix"] = redis.KeyPrefix,
                ["FeatureProcessor:GroupId"] = groupId,
                ["FeatureProcessor:AllowedLateness"] = "365.00:00:00",
                ["FeatureProcessor:MaxBatchDelay"] = "00:00:00.020",
                ["FeatureProcessor:CheckpointInterval"] = "00:00:00.200",
                ["Kafka:Consumer:session.timeout.ms"] = "10000",
                ["Kafka:Consumer:heartbeat.interval.ms"] = "500",
            },
        });

    /// <summary>The registry, its artifacts under <paramref name="artifactRoot"/>, relaying its outbox every 200 ms.</summary>
    public static Task<ServiceHost<RegistryGrpcService>> StartRegistryAsync(DevBrokerFixture broker, PostgresFixture database, string artifactRoot) =>
        ServiceHost<RegistryGrpcService>.StartAsync(new ServiceHostOptions
        {
            Environment = Environments.Development,
            BootstrapServers = broker.BootstrapServers,
            PostgresConnectionString = database.ConnectionString,
            Settings = new Dictionary<string, string?>
            {
                ["Kafka:StatisticsIntervalMs"] = "0",
                ["Registry:Artifacts:RootPath"] = artifactRoot,
                ["Registry:Outbox:PollIntervalMs"] = "200",
            },
        });
}
