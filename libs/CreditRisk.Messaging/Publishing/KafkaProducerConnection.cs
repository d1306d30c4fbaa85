using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace CreditRisk.Messaging.Publishing;

/// <summary>
/// The process's one Kafka producer (librdkafka producers are thread-safe and batch best when shared):
/// idempotent, acks=all, so a retried send is never stored twice and an ack means it is durable.
/// </summary>
public sealed class KafkaProducerConnection : IDisposable
{
    private readonly Lazy<IProducer<byte[]?, byte[]?>> _producer;

    public KafkaProducerConnection(KafkaClientFactory clients, ILogger<KafkaProducerConnection> logger)
    {
        var config = clients.ProducerConfig();
        config.Acks = Acks.All;
        config.EnableIdempotence = true;
        config.LingerMs ??= 5;
        // Callers read only a report's status and position; by default librdkafka's reports also copy back every
        // record's key, value, timestamp and headers.
        config.DeliveryReportFields ??= "status";
        _producer = new Lazy<IProducer<byte[]?, byte[]?>>(() => clients.BuildProducer(config, "producer", logger));
    }

    public IProducer<byte[]?, byte[]?> Producer => _producer.Value;

    public void Dispose()
    {
        if (!_producer.IsValueCreated)
        {
            return;
        }
        // Deliver what is in flight before the process goes; anything left is reported by the caller's tasks.
        _producer.Value.Flush(TimeSpan.FromSeconds(10));
        _producer.Value.Dispose();
    }
}
