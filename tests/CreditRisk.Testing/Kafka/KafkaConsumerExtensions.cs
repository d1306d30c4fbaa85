using System.Diagnostics;
using Confluent.Kafka;

namespace CreditRisk.Testing.Kafka;

public static class KafkaConsumerExtensions
{
    /// <summary>Consumes until <paramref name="count"/> records arrived or <paramref name="timeout"/> passed, and returns them in arrival order.
    /// Returns fewer than <paramref name="count"/> on timeout, so the caller's assertion shows what was missing.</summary>
    public static List<ConsumeResult<TKey, TValue>> ConsumeUpTo<TKey, TValue>(
        this IConsumer<TKey, TValue> consumer,
        int count,
        TimeSpan timeout)
    {
        var results = new List<ConsumeResult<TKey, TValue>>(count);
        var stopwatch = Stopwatch.StartNew();
        while (results.Count < count && stopwatch.Elapsed < timeout)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is not null && !result.IsPartitionEOF)
            {
                results.Add(result);
            }
        }

        return results;
    }

    /// <summary>Reads every record of one partition from <paramref name="from"/> up to (excluding) <paramref name="until"/>, without a group.</summary>
    public static List<ConsumeResult<TKey, TValue>> ReadPartition<TKey, TValue>(
        this IConsumer<TKey, TValue> consumer,
        TopicPartition partition,
        Offset from,
        long until,
        TimeSpan timeout)
    {
        var results = new List<ConsumeResult<TKey, TValue>>();
        if (until <= 0 || (from.Value >= 0 && from.Value >= until))
        {
            return results;
        }

        consumer.Assign(new TopicPartitionOffset(partition, from));
        try
        {
            var stopwatch = Stopwatch.StartNew();
            while (stopwatch.Elapsed < timeout)
            {
                if (results.Count > 0 && results[^1].Offset.Value >= until - 1)
                {
                    break;
                }

                var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
                if (result is not null && !result.IsPartitionEOF)
                {
                    results.Add(result);
                }
            }
        }
        finally
        {
            consumer.Unassign();
        }

        return results;
    }
}
