using CreditRisk.Contracts.Events.V1;
using Google.Protobuf.WellKnownTypes;

namespace CreditRisk.Messaging.Tests.Support;

public static class TestEvents
{
    public static TransactionRecorded Transaction(string customerId, double amount = -10) => new()
    {
        Envelope = EventEnvelopeFactory.Create(customerId, DateTimeOffset.UtcNow, "messaging-tests"),
        TransactionId = Guid.NewGuid().ToString(),
        CustomerId = customerId,
        Amount = amount,
        Currency = "EUR",
        Category = "groceries",
    };

    public static string UniqueTopic(string name) => $"test.{name}.{Guid.NewGuid():N}";

    public static Timestamp Now() => Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow);
}
