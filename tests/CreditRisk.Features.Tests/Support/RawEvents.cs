using CreditRisk.Contracts.Common.V1;
using CreditRisk.Contracts.Events.V1;
using Google.Protobuf.WellKnownTypes;

namespace CreditRisk.Features.Tests.Support;

/// <summary>Raw events as the ingestion service publishes them.</summary>
public static class RawEvents
{
    private static EventEnvelope Envelope(string customerId, DateTimeOffset eventTime, DateTimeOffset? recorded = null) => new()
    {
        EventId = Guid.CreateVersion7().ToString(),
        EntityKey = customerId,
        EventTime = Timestamp.FromDateTimeOffset(eventTime),
        RecordedTime = Timestamp.FromDateTimeOffset(recorded ?? eventTime.AddSeconds(1)),
        Source = "features-tests",
        SchemaVersion = EventEnvelopeFactory.CurrentSchemaVersion,
    };

    public static TransactionRecorded Transaction(string customerId, DateTimeOffset eventTime, double amount, DateTimeOffset? recorded = null) => new()
    {
        Envelope = Envelope(customerId, eventTime, recorded),
        TransactionId = Guid.NewGuid().ToString("N"),
        CustomerId = customerId,
        Amount = amount,
        Currency = "EUR",
        Category = amount >= 0 ? "salary" : "groceries",
    };

    public static RepaymentRecorded Repayment(string customerId, DateTimeOffset eventTime, int daysPastDue) => new()
    {
        Envelope = Envelope(customerId, eventTime),
        RepaymentId = Guid.NewGuid().ToString("N"),
        LoanId = "L-" + customerId,
        CustomerId = customerId,
        DueDate = Timestamp.FromDateTimeOffset(eventTime.AddDays(-daysPastDue)),
        PaidDate = Timestamp.FromDateTimeOffset(eventTime),
        AmountDue = 120,
        AmountPaid = 120,
        DaysPastDue = daysPastDue,
    };

    public static LoanApplicationSubmitted Application(string customerId, string applicationId, DateTimeOffset eventTime, double amount = 1_000) => new()
    {
        Envelope = Envelope(customerId, eventTime),
        ApplicationId = applicationId,
        CustomerId = customerId,
        Application = new LoanApplication
        {
            Amount = amount, TermMonths = 36, Price = amount * 1.25, Income = 2_100, Expenses = 700, Assets = 3_000, Debt = 400,
            AgeYears = 34, SeniorityYears = 5, Home = HomeOwnership.Owner, Marital = MaritalStatus.Married, Job = JobType.Fixed,
        },
    };

    /// <summary>
    /// A deterministic mix of the three event types for <paramref name="customers"/> customers, each customer's
    /// events spread over <paramref name="span"/> before <paramref name="end"/>.
    /// </summary>
    public static List<IIntegrationEvent> Mix(string customerPrefix, int customers, int eventsPerCustomer, DateTimeOffset end, TimeSpan span, int seed = 7)
    {
        var random = new Random(seed);
        var events = new List<IIntegrationEvent>(customers * eventsPerCustomer);
        for (var c = 0; c < customers; c++)
        {
            var customerId = $"{customerPrefix}-{c}";
            for (var e = 0; e < eventsPerCustomer; e++)
            {
                var time = end - span + TimeSpan.FromTicks((long)(span.Ticks * (e + random.NextDouble()) / eventsPerCustomer));
                var kind = random.Next(10);
                events.Add(kind switch
                {
                    0 => Application(customerId, $"{customerId}-A{e}", time, 500 + random.Next(5_000)),
                    < 4 => Repayment(customerId, time, random.Next(4) == 0 ? random.Next(1, 60) : 0),
                    _ => Transaction(customerId, time, Math.Round(random.NextDouble() * 400 - 250, 2)),
                });
            }
        }
        return events;
    }
}
