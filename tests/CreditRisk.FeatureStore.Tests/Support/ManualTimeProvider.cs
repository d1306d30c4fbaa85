namespace CreditRisk.FeatureStore.Tests.Support;

/// <summary>A clock the test sets: online TTL checks read "now" from it.</summary>
public sealed class ManualTimeProvider(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
