using CreditRisk.Modeling.Models;

namespace CreditRisk.Modeling.Training;

/// <summary>Every candidate's search, the winner (highest cross-validated ROC AUC) and its model refitted on all rows.</summary>
public sealed record TrainingReport(IReadOnlyList<CandidateResult> Candidates, CandidateResult Winner, CreditRiskModel Model);
