using System.Globalization;
using CreditRisk.Testing;
using CreditRisk.Testing.Kafka;
using CreditRisk.Testing.Postgres;
using CreditRisk.Testing.Redis;

namespace CreditRisk.Features.Tests.Support;

/// <summary>The configuration a test gives the features service: its broker, database, Redis prefix and topics.</summary>
public static class FeaturesSettings
{
    public static Dictionary<string, string?> For(
        DevBrokerFixture broker,
        PostgresFixture postgres,
        RedisFixture redis,
        TestTopics topics,
        string group,
        TimeSpan? allowedLateness = null,
        int maxBatchRecords = 2_000,
        bool processor = true) => new()
    {
        ["Kafka:BootstrapServers"] = broker.BootstrapServers,
        ["Kafka:ProvisionTopics"] = "false",
        ["Kafka:StatisticsIntervalMs"] = "1000",
        ["Kafka:Consumer:session.timeout.ms"] = "10000",
        ["Kafka:Consumer:heartbeat.interval.ms"] = "500",
        ["Kafka:Consumer:auto.commit.interval.ms"] = "200",
        ["ConnectionStrings:Postgres"] = postgres.ConnectionString,
        ["Redis:Configuration"] = InfrastructureSettings.RedisConfiguration,
        ["OnlineStore:KeyPrefix"] = redis.KeyPrefix,
        ["FeatureProcessor:Enabled"] = processor ? "true" : "false",
        ["FeatureProcessor:GroupId"] = group,
        ["FeatureProcessor:Topics:0"] = topics.Applications,
        ["FeatureProcessor:Topics:1"] = topics.Transactions,
        ["FeatureProcessor:Topics:2"] = topics.Repayments,
        ["FeatureProcessor:LateTopic"] = topics.Late,
        ["FeatureProcessor:FeatureUpdatesTopic"] = topics.FeatureUpdates,
        ["FeatureProcessor:AllowedLateness"] = (allowedLateness ?? TimeSpan.FromDays(1)).ToString("c", CultureInfo.InvariantCulture),
        ["FeatureProcessor:MaxBatchRecords"] = maxBatchRecords.ToString(CultureInfo.InvariantCulture),
        ["FeatureProcessor:MaxBatchDelay"] = "00:00:00.020",
        ["FeatureProcessor:CheckpointInterval"] = "00:00:00.200",
    };

    /// <summary>The same settings as environment variables (for the service run as a separate process).</summary>
    public static Dictionary<string, string> AsEnvironment(Dictionary<string, string?> settings) =>
        settings.Where(setting => setting.Value is not null)
            .ToDictionary(setting => setting.Key.Replace(":", "__", StringComparison.Ordinal), setting => setting.Value!);
}
