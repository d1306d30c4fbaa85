using System.Globalization;
using System.Text.Json;
using CreditRisk.Modeling.Reports;
using CreditRisk.Modeling.Training;

namespace CreditRisk.Training.Steps;

/// <summary>What the train step tells the later steps about its search: each candidate's best trial and the winner (JSON blob, no timings, so it is deterministic).</summary>
public sealed record TrainingSummary(string Winner, int TrainingRows, int OutOfTimeRows, IReadOnlyList<CandidateSummary> Candidates)
{
    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static TrainingSummary Of(TrainingReport report, int trainingRows, int outOfTimeRows)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new TrainingSummary(report.Winner.Name, trainingRows, outOfTimeRows, report.Candidates.Select(candidate =>
        {
            var folds = candidate.Best.Folds.Select(fold => fold.RocAuc).ToList();
            var mean = folds.Average();
            var deviation = Math.Sqrt(folds.Sum(auc => (auc - mean) * (auc - mean)) / folds.Count);
            return new CandidateSummary(
                candidate.Name, candidate.Best.Mean.RocAuc, deviation, candidate.Trials.Count,
                string.Join(", ", candidate.Best.Parameters.Values.OrderBy(pair => pair.Key, StringComparer.Ordinal)
                    .Select(pair => $"{pair.Key}={pair.Value.ToString("G6", CultureInfo.InvariantCulture)}")),
                candidate.Name == report.Winner.Name);
        }).ToList());
    }

    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, JsonOptions);

    public static TrainingSummary FromBytes(byte[] bytes) =>
        JsonSerializer.Deserialize<TrainingSummary>(bytes, JsonOptions) ?? throw new InvalidDataException("the training summary is empty");
}
