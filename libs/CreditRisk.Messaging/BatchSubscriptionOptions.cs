namespace CreditRisk.Messaging;

/// <summary>A batch subscription: the one-by-one options, and how large a batch gets and how long it waits to fill.</summary>
public sealed class BatchSubscriptionOptions
{
    /// <summary>Group, topic, retries and the rest, as for a one-by-one subscription; retries apply to a whole batch.</summary>
    public SubscriptionOptions Subscription { get; } = new();

    /// <summary>Shorthand for <see cref="SubscriptionOptions.GroupId"/>.</summary>
    public string? GroupId { get => Subscription.GroupId; set => Subscription.GroupId = value; }

    /// <summary>Shorthand for <see cref="SubscriptionOptions.Topic"/>.</summary>
    public string? Topic { get => Subscription.Topic; set => Subscription.Topic = value; }

    /// <summary>Most records handed to the handler at once.</summary>
    public int MaxBatchSize { get; set; } = 500;

    /// <summary>How long a batch waits for more records after its first one.</summary>
    public TimeSpan MaxBatchWait { get; set; } = TimeSpan.FromMilliseconds(50);
}
