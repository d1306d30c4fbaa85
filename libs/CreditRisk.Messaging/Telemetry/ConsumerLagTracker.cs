using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json;

namespace CreditRisk.Messaging.Telemetry;

/// <summary>
/// Keeps the latest lag per (group, topic, partition) from librdkafka's statistics JSON and exposes it
/// as an observable gauge. Lag is the broker's high watermark minus the consumer's position.
/// </summary>
public sealed class ConsumerLagTracker
{
    private readonly ConcurrentDictionary<(string Group, string Topic, int Partition), long> _lag = new();

    internal ConsumerLagTracker(Meter meter)
    {
        meter.CreateObservableGauge(
            "messaging.kafka.consumer.lag",
            () => _lag.Select(entry => new Measurement<long>(
                entry.Value,
                new KeyValuePair<string, object?>(MessagingTelemetry.ConsumerGroupTag, entry.Key.Group),
                new KeyValuePair<string, object?>(MessagingTelemetry.DestinationTag, entry.Key.Topic),
                new KeyValuePair<string, object?>(MessagingTelemetry.PartitionTag, entry.Key.Partition.ToString(System.Globalization.CultureInfo.InvariantCulture)))),
            "{message}",
            "Records between the consumer's position and the partition's end.");
    }

    public long? Get(string group, string topic, int partition) =>
        _lag.TryGetValue((group, topic, partition), out var lag) ? lag : null;

    /// <summary>Updates the lag of every partition the consumer owns from one statistics document.</summary>
    public void Record(string group, string statisticsJson)
    {
        using var document = JsonDocument.Parse(statisticsJson);
        if (!document.RootElement.TryGetProperty("topics", out var topics))
        {
            return;
        }
        foreach (var topic in topics.EnumerateObject())
        {
            if (!topic.Value.TryGetProperty("partitions", out var partitions))
            {
                continue;
            }
            foreach (var partition in partitions.EnumerateObject())
            {
                // librdkafka also lists the internal "-1" partition and partitions it does not own.
                if (!int.TryParse(partition.Name, out var id) || id < 0 || !IsOwned(partition.Value))
                {
                    continue;
                }
                if (LagOf(partition.Value) is { } lag)
                {
                    _lag[(group, topic.Name, id)] = lag;
                }
            }
        }
    }

    private static bool IsOwned(JsonElement partition) =>
        partition.TryGetProperty("desired", out var desired) && desired.ValueKind == JsonValueKind.True;

    /// <summary>
    /// End offset minus what the application has processed: its stored offset, else the group's committed
    /// offset, else the log start (where a new group begins). librdkafka's own consumer_lag is -1 until the
    /// first commit, which would hide exactly the backlog of a consumer that is stuck from the start.
    /// </summary>
    private static long? LagOf(JsonElement partition)
    {
        var end = Int64(partition, "hi_offset");
        if (end < 0)
        {
            return null;
        }
        var stored = Int64(partition, "stored_offset");
        var committed = Int64(partition, "committed_offset");
        // lo_offset is the low watermark (log start); ls_offset is the last *stable* offset, not the start.
        var logStart = Int64(partition, "lo_offset");
        var position = stored >= 0 ? stored : committed >= 0 ? committed : logStart;
        return position >= 0 ? Math.Max(end - position, 0) : null;
    }

    private static long Int64(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : -1;

    /// <summary>Forgets partitions this consumer no longer owns, so their last lag is not reported forever.</summary>
    public void Forget(string group, string topic, int partition) => _lag.TryRemove((group, topic, partition), out _);
}
