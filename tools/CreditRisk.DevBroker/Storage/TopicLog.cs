namespace CreditRisk.DevBroker.Storage;

/// <summary>One topic: identity, effective config and its partition logs.</summary>
internal sealed class TopicLog(string name, Guid topicId, TopicConfig config, string directory, PartitionLog[] partitions) : IDisposable
{
    public string Name { get; } = name;
    public Guid TopicId { get; } = topicId;
    public TopicConfig Config { get; } = config;
    public string Directory { get; } = directory;
    public IReadOnlyList<PartitionLog> Partitions { get; } = partitions;

    public PartitionLog? GetPartition(int partition) =>
        partition >= 0 && partition < Partitions.Count ? Partitions[partition] : null;

    /// <summary>TOPIC-N, the name Kafka gives a partition folder, inside the topic's own folder.</summary>
    public static string PartitionDirectory(string topicDirectory, string topic, int partition) =>
        Path.Combine(topicDirectory, topic + "-" + partition.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public void Dispose()
    {
        foreach (var partition in Partitions)
        {
            partition.Dispose();
        }
    }
}
