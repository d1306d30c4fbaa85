using CreditRisk.Modeling.Search;

namespace CreditRisk.Modeling.Evaluation;

/// <summary>One trial: its hyperparameters, the metrics of each held-out fold, and their mean.</summary>
public sealed record CrossValidationResult(Hyperparameters Parameters, IReadOnlyList<BinaryMetrics> Folds, BinaryMetrics Mean);
