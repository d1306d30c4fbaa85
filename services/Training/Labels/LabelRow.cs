using CreditRisk.Contracts.Events.V1;

namespace CreditRisk.Training.Labels;

/// <summary>A labelled application as of a cut-off: the entity row of a training set and its label.</summary>
/// <param name="KnownAt">When the outcome in effect at the cut-off became known (its event time).</param>
public sealed record LabelRow(
    string CustomerId,
    string ApplicationId,
    DateTimeOffset ApplicationTime,
    LoanOutcome Outcome,
    DateTimeOffset KnownAt,
    DateTimeOffset RecordedAt)
{
    /// <summary>The training target: 1 for a default (the "bad" class), 0 for a repaid loan.</summary>
    public int Label => Outcome == LoanOutcome.Defaulted ? 1 : 0;
}
