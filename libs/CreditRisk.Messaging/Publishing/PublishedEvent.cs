namespace CreditRisk.Messaging.Publishing;

/// <summary>Where the broker stored a published event (acknowledged by all in-sync replicas).</summary>
public sealed record PublishedEvent(string Topic, int Partition, long Offset);
