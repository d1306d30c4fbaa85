using CreditRisk.Contracts.Events.V1;

namespace CreditRisk.Messaging.Bench;

internal static class BenchmarkEvents
{
    /// <summary>A realistic event: ~120 bytes of Protobuf, 1,000 customers as keys.</summary>
    public static TransactionRecorded Transaction(int i) => new()
    {
        Envelope = EventEnvelopeFactory.Create($"C-{i % 1000}", DateTimeOffset.UtcNow, "bench"),
        TransactionId = $"T-{i}",
        CustomerId = $"C-{i % 1000}",
        Amount = -(i % 500),
        Currency = "EUR",
        Category = "groceries",
    };
}
