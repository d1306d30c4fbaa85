namespace CreditRisk.DevBroker.Groups;

/// <summary>Key of a committed offset within one group.</summary>
internal readonly record struct TopicPartition(string Topic, int Partition);
