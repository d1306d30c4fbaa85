using Confluent.Kafka;

namespace CreditRisk.Features.Processing;

internal static class ConsumeResultPartition
{
    /// <summary>
    /// Whether <paramref name="record"/> is from <paramref name="partition"/>, without
    /// <see cref="ConsumeResult{TKey,TValue}.TopicPartition"/>: that allocates on every call, and hashing it hashes the
    /// topic's name, several times per record on the consume thread.
    /// </summary>
    public static bool IsFrom(this ConsumeResult<byte[]?, byte[]?> record, TopicPartition partition) =>
        record.Partition == partition.Partition && string.Equals(record.Topic, partition.Topic, StringComparison.Ordinal);
}
