namespace CreditRisk.DevBroker;

/// <summary>What the group coordinator may ask of the log layer.</summary>
public interface ITopicDirectory
{
    /// <summary>True and the partition count when the topic exists.</summary>
    bool TryGetPartitionCount(string topic, out int partitionCount);
}
