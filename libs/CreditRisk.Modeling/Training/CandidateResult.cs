using CreditRisk.Modeling.Evaluation;

namespace CreditRisk.Modeling.Training;

/// <summary>A candidate's search: every trial, and the best by mean cross-validated ROC AUC.</summary>
public sealed record CandidateResult(string Name, IReadOnlyList<CrossValidationResult> Trials, TimeSpan Elapsed)
{
    public CrossValidationResult Best => Trials.MaxBy(trial => trial.Mean.RocAuc)!;
}
