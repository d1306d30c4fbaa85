using System.Text.Json.Serialization;

namespace CreditRisk.Training.Commands;

/// <summary>train-csv's --json line: the winner, its cross-validated ROC AUC, and every candidate's.</summary>
public sealed record TrainCsvResult(
    [property: JsonPropertyName("winner")] string Winner,
    [property: JsonPropertyName("cv_roc_auc")] double CvRocAuc,
    [property: JsonPropertyName("candidates")] IReadOnlyList<TrainCsvCandidate> Candidates);
