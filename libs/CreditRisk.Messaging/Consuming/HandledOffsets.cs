using Confluent.Kafka;
using CreditRisk.Messaging.Telemetry;
using Microsoft.Extensions.Logging;

namespace CreditRisk.Messaging.Consuming;

/// <summary>
/// The next offset to commit per owned partition, stored only once its records' effects are durable.
/// Revocation commits them before the partition moves; loss forgets them (the new owner re-reads).
/// Used from the consume loop's thread only — librdkafka runs rebalance callbacks inside Consume.
/// </summary>
public sealed class HandledOffsets(string groupId, ILogger logger)
{
    private readonly Dictionary<TopicPartition, Offset> _next = [];

    /// <summary>Stores <paramref name="next"/> (the offset after the last handled record); false when the partition was revoked meanwhile.</summary>
    public bool Store(IConsumer<byte[]?, byte[]?> consumer, TopicPartitionOffset next)
    {
        try
        {
            consumer.StoreOffset(next);
            _next[next.TopicPartition] = next.Offset;
            return true;
        }
        catch (KafkaException exception)
        {
            // The partition was revoked while its records were handled; its new owner will redeliver them.
            logger.LogInformation("Offset {Offset} of {Partition} not stored: {Reason}", next.Offset, next.TopicPartition, exception.Error.Reason);
            return false;
        }
    }

    /// <summary>Commits what was handled of the revoked partitions, then forgets them.</summary>
    public void CommitRevoked(IConsumer<byte[]?, byte[]?> consumer, IReadOnlyCollection<TopicPartition> revoked)
    {
        var offsets = revoked
            .Where(_next.ContainsKey)
            .Select(partition => new TopicPartitionOffset(partition, _next[partition]))
            .ToList();
        if (offsets.Count > 0)
        {
            try
            {
                consumer.Commit(offsets);
            }
            catch (KafkaException exception)
            {
                logger.LogWarning("Commit on revocation of {Partitions} failed ({Reason}); those records will be redelivered",
                    string.Join(", ", revoked), exception.Error.Reason);
            }
        }
        Forget(revoked);
    }

    /// <summary>Drops partitions this consumer no longer owns, and their lag gauge.</summary>
    public void Forget(IEnumerable<TopicPartition> partitions)
    {
        foreach (var partition in partitions)
        {
            _next.Remove(partition);
            MessagingTelemetry.ConsumerLag.Forget(groupId, partition.Topic, partition.Partition.Value);
        }
    }
}
