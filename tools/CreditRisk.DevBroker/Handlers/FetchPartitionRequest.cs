namespace CreditRisk.DevBroker.Handlers;

/// <summary>One partition of a Fetch request.</summary>
internal readonly record struct FetchPartitionRequest(int Partition, long FetchOffset, int PartitionMaxBytes);
