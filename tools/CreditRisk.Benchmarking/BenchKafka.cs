using Confluent.Kafka;

namespace CreditRisk.Benchmarking;

/// <summary>Kafka clients the benches load a broker with.</summary>
public static class BenchKafka
{
    /// <summary>An acks=all, idempotent producer with large batches and queue, so that it is not what limits the rate.</summary>
    public static ProducerConfig ThroughputProducer(string bootstrapServers) => new()
    {
        BootstrapServers = bootstrapServers,
        Acks = Acks.All,
        EnableIdempotence = true,
        LingerMs = 5,
        BatchSize = 1_000_000,
        QueueBufferingMaxMessages = 1_000_000,
    };
}
