using CreditRisk.Contracts.Common.V1;
using CreditRisk.Contracts.Events.V1;
using Google.Protobuf.WellKnownTypes;

namespace CreditRisk.Training.Tests.Support;

/// <summary>Raw events of a customer history, as ingestion publishes them, with the recorded time under the test's control.</summary>
public static class HistoryEvents
{
    private static EventEnvelope Envelope(string key, DateTimeOffset eventTime, DateTimeOffset? recorded) => new()
    {
        EventId = Guid.CreateVersion7().ToString(),
        EntityKey = key,
        EventTime = Timestamp.FromDateTimeOffset(eventTime),
        RecordedTime = Timestamp.FromDateTimeOffset(recorded ?? eventTime.AddSeconds(1)),
        Source = "training-tests",
        SchemaVersion = EventEnvelopeFactory.CurrentSchemaVersion,
    };

    public static TransactionRecorded Transaction(string customer, DateTimeOffset time, double amount, DateTimeOffset? recorded = null) => new()
    {
        Envelope = Envelope(customer, time, recorded),
        TransactionId = Guid.NewGuid().ToString("N"),
        CustomerId = customer,
        Amount = amount,
        Currency = "EUR",
        Category = "test",
    };

    public static RepaymentRecorded Repayment(string customer, DateTimeOffset time, int daysPastDue) => new()
    {
        Envelope = Envelope(customer, time, null),
        RepaymentId = Guid.NewGuid().ToString("N"),
        LoanId = "L-" + customer,
        CustomerId = customer,
        DueDate = Timestamp.FromDateTimeOffset(time.AddDays(-daysPastDue)),
        PaidDate = Timestamp.FromDateTimeOffset(time),
        AmountDue = 100,
        AmountPaid = 100,
        DaysPastDue = daysPastDue,
    };

    public static LoanApplicationSubmitted Application(string customer, string application, DateTimeOffset time, double amount, JobType job, HomeOwnership home, double? income) => new()
    {
        Envelope = Envelope(customer, time, null),
        ApplicationId = application,
        CustomerId = customer,
        Application = new LoanApplication
        {
            Amount = amount, TermMonths = 24, Price = amount * 1.5, Expenses = 600, Assets = 2_000, Debt = 300,
            AgeYears = 41, SeniorityYears = 7, Home = home, Marital = MaritalStatus.Single, Job = job,
            HasPriorDefaultRecords = amount > 2_000,
        }.WithIncome(income),
    };

    private static LoanApplication WithIncome(this LoanApplication application, double? income)
    {
        if (income is { } value)
        {
            application.Income = value;
        }
        return application;
    }

    /// <summary>An outcome known at <paramref name="knownAt"/>, recorded a second later unless told.</summary>
    public static LoanOutcomeRecorded Outcome(LoanApplicationSubmitted application, LoanOutcome outcome, DateTimeOffset knownAt, DateTimeOffset? recorded = null) => new()
    {
        Envelope = Envelope(application.CustomerId, knownAt, recorded),
        LoanId = "L-" + application.ApplicationId,
        ApplicationId = application.ApplicationId,
        CustomerId = application.CustomerId,
        Outcome = outcome,
        ApplicationTime = application.Envelope.EventTime,
    };
}
