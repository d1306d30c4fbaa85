namespace CreditRisk.Ingestion.Tests.Support;

/// <summary>A clock that says what the test wants.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
