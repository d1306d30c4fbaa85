using System.Text.Json.Serialization;

namespace CreditRisk.Training.Commands;

/// <summary>One candidate in train-csv's --json line.</summary>
public sealed record TrainCsvCandidate(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("cv_roc_auc")] double CvRocAuc);
