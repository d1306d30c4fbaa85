namespace CreditRisk.Messaging.Consuming;

/// <summary>Where a handled event came from.</summary>
/// <param name="Attempt">1 on first delivery to the handler, higher on retries.</param>
public sealed record EventContext(
    string Topic,
    int Partition,
    long Offset,
    string? Key,
    DateTimeOffset Timestamp,
    string ConsumerGroup,
    int Attempt);
