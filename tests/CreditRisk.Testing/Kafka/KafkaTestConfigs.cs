using Confluent.Kafka;

namespace CreditRisk.Testing.Kafka;

/// <summary>Client configurations suited to tests against a local single-node broker.</summary>
public static class KafkaTestConfigs
{
    /// <summary>An acks=all, idempotent producer that fails fast enough for tests but survives a broker restart.</summary>
    public static ProducerConfig Producer(string bootstrapServers) => new()
    {
        BootstrapServers = bootstrapServers,
        Acks = Acks.All,
        EnableIdempotence = true,
        LingerMs = 2,
        MessageTimeoutMs = 60_000,
        SocketTimeoutMs = 30_000,
        ClientId = "creditrisk-test-producer",
    };

    /// <summary>A consumer in <paramref name="groupId"/> that starts at the earliest offset and commits only when told.</summary>
    public static ConsumerConfig Consumer(string bootstrapServers, string groupId) => new()
    {
        BootstrapServers = bootstrapServers,
        GroupId = groupId,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        EnableAutoCommit = false,
        EnablePartitionEof = false,
        SessionTimeoutMs = 10_000,
        HeartbeatIntervalMs = 1_000,
        ClientId = "creditrisk-test-consumer",
    };

    public static AdminClientConfig Admin(string bootstrapServers) => new()
    {
        BootstrapServers = bootstrapServers,
        ClientId = "creditrisk-test-admin",
    };
}
