namespace CreditRisk.Contracts.Topics;

/// <summary>Kafka's cleanup.policy.</summary>
public enum CleanupPolicy
{
    Delete,
    Compact,
    CompactDelete,
}
