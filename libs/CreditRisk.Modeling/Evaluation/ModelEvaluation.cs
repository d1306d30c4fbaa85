namespace CreditRisk.Modeling.Evaluation;

/// <summary>
/// Everything an evaluation of probabilities against labels reports: the metrics (ROC AUC, Gini, KS, log loss, Brier),
/// the calibration curve and its ECE, the confusion matrix at the decision threshold, per-segment AUC, the ROC curve and
/// the scores of each class (for the report's histograms).
/// </summary>
public sealed record ModelEvaluation(
    long Count,
    long Positives,
    BinaryMetrics Metrics,
    CalibrationCurve Calibration,
    ConfusionMatrix Confusion,
    IReadOnlyList<SegmentResult> Segments,
    IReadOnlyList<(double FalsePositiveRate, double TruePositiveRate)> Roc,
    IReadOnlyList<double> PositiveScores,
    IReadOnlyList<double> NegativeScores)
{
    /// <param name="segments">Categorical feature name → each row's value, for per-segment AUC.</param>
    /// <param name="threshold">The decision threshold; null = <see cref="DecisionThreshold.MaximizingKs"/>.</param>
    public static ModelEvaluation Evaluate(
        IReadOnlyList<bool> labels,
        IReadOnlyList<double> probabilities,
        IReadOnlyDictionary<string, IReadOnlyList<string?>>? segments = null,
        double? threshold = null,
        CalibrationBinning binning = CalibrationBinning.EqualWidth)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(probabilities);
        var metrics = BinaryMetrics.Compute(labels, probabilities);
        var cut = threshold ?? DecisionThreshold.MaximizingKs(labels, probabilities);
        var bySegment = (segments ?? new Dictionary<string, IReadOnlyList<string?>>())
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .SelectMany(pair => SegmentAuc.Compute(pair.Key, pair.Value, labels, probabilities))
            .ToList();
        return new ModelEvaluation(
            labels.Count,
            labels.LongCount(label => label),
            metrics,
            CalibrationCurve.Compute(labels, probabilities, CalibrationCurve.DefaultBins, binning),
            ConfusionMatrix.At(labels, probabilities, cut),
            bySegment,
            RocCurve.Points(labels, probabilities),
            Enumerable.Range(0, labels.Count).Where(i => labels[i]).Select(i => probabilities[i]).ToList(),
            Enumerable.Range(0, labels.Count).Where(i => !labels[i]).Select(i => probabilities[i]).ToList());
    }
}
