using System.Text.Json.Serialization;

namespace CreditRisk.Training.Bench;

/// <summary>One scikit-learn model's line of sklearn_baseline.py's JSON.</summary>
public sealed record SklearnModelResult(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("cv_roc_auc")] double CvRocAuc,
    [property: JsonPropertyName("seconds")] double Seconds);
