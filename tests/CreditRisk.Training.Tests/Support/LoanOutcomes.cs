using CreditRisk.Contracts.Events.V1;
using Google.Protobuf.WellKnownTypes;

namespace CreditRisk.Training.Tests.Support;

/// <summary>Loan outcome events for tests: unique ids, whole-second times (PostgreSQL keeps microseconds).</summary>
public static class LoanOutcomes
{
    public static readonly DateTimeOffset ApplicationTime = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);

    public static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    /// <summary>An outcome known at <paramref name="knownAt"/> and recorded <paramref name="recordedAfter"/> later (a second by default).</summary>
    public static LoanOutcomeRecorded Recorded(
        string applicationId, LoanOutcome outcome, DateTimeOffset knownAt, string? customerId = null, TimeSpan? recordedAfter = null)
    {
        var customer = customerId ?? "C-" + applicationId;
        return new LoanOutcomeRecorded
        {
            Envelope = new EventEnvelope
            {
                EventId = Guid.NewGuid().ToString(),
                EntityKey = customer,
                EventTime = Timestamp.FromDateTimeOffset(knownAt),
                RecordedTime = Timestamp.FromDateTimeOffset(knownAt + (recordedAfter ?? TimeSpan.FromSeconds(1))),
                Source = "loan-servicing",
                SchemaVersion = 1,
            },
            LoanId = "L-" + applicationId,
            ApplicationId = applicationId,
            CustomerId = customer,
            Outcome = outcome,
            ApplicationTime = Timestamp.FromDateTimeOffset(ApplicationTime),
        };
    }
}
