namespace CreditRisk.Modeling.Explanations;

/// <summary>
/// A score with its reasons: the probability (the same as <c>CreditRiskModel.Score</c>), the model's margin in log-odds
/// and the inputs' non-zero contributions, largest magnitude first (ties in signature order).
/// </summary>
public sealed record ModelExplanation(double Probability, double LogOdds, IReadOnlyList<InputContribution> Contributions);
