namespace CreditRisk.DevBroker.Handlers;

/// <summary>One partition's record set in a Produce request; <see cref="Records"/> points into the request buffer.</summary>
internal readonly record struct ProducePartitionData(int Partition, Memory<byte>? Records);
