using CreditRisk.Contracts.Events.V1;

namespace CreditRisk.Training.Labels;

/// <summary>One received loan outcome, as the label store keeps it (a row of <c>training.loan_outcomes</c>).</summary>
/// <param name="KnownAt">When the outcome became known: the envelope's event time.</param>
/// <param name="RecordedAt">When the platform recorded it: the envelope's recorded time.</param>
public sealed record LoanOutcomeFact(
    string EventId,
    string ApplicationId,
    string CustomerId,
    string LoanId,
    LoanOutcome Outcome,
    DateTimeOffset ApplicationTime,
    DateTimeOffset KnownAt,
    DateTimeOffset RecordedAt);
