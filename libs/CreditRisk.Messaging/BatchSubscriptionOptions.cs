namespace CreditRisk.Messaging;

/// <summary>A batch subscription: the one-by-one options, and how large a batch gets and how long it waits to fill.</summary>
public sealed class BatchSubscriptionOptions
{
    public SubscriptionOptions Subscription { get; } = new();

    public string? GroupId { get => Subscription.GroupId; set => Subscription.GroupId = value; }

    public int MaxBatchSize { get; set; } = 500;

    /// <summary>How long a batch waits for more records after its first one.</summary>
    public TimeSpan MaxBatchWait { get; set; } = TimeSpan.FromMilliseconds(50);
}
