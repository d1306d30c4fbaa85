using CreditRisk.Contracts.Events.V1;

namespace CreditRisk.Training.Labels;

/// <summary>The labels known by a cut-off, one per application in application id order, and how many there are of each outcome.</summary>
public sealed record LabelSet(DateTimeOffset Cutoff, IReadOnlyList<LabelRow> Rows, IReadOnlyDictionary<LoanOutcome, int> CountsByOutcome)
{
    public int CountOf(LoanOutcome outcome) => CountsByOutcome.GetValueOrDefault(outcome);
}
