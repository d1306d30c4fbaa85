using System.Text.Json.Serialization;

namespace CreditRisk.Training.Bench;

/// <summary>sklearn_baseline.py's output: its scikit-learn version and each model's CV ROC AUC and wall time.</summary>
public sealed record SklearnResult(
    [property: JsonPropertyName("sklearn")] string Version,
    [property: JsonPropertyName("models")] IReadOnlyList<SklearnModelResult> Models);
