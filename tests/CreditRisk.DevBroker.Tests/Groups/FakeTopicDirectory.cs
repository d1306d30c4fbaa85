namespace CreditRisk.DevBroker.Tests.Groups;

/// <summary>Topics the coordinator validates commits against, without a log layer.</summary>
internal sealed class FakeTopicDirectory : Dictionary<string, int>, ITopicDirectory
{
    public bool TryGetPartitionCount(string topic, out int partitionCount) => TryGetValue(topic, out partitionCount);
}
