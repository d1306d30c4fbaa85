namespace CreditRisk.Modeling.Evaluation;

/// <summary>ROC AUC within each value of a categorical feature (missing = its own segment "(missing)"), segments in ordinal order.</summary>
public static class SegmentAuc
{
    public const string MissingSegment = "(missing)";

    public static IReadOnlyList<SegmentResult> Compute(
        string feature, IReadOnlyList<string?> segments, IReadOnlyList<bool> labels, IReadOnlyList<double> scores)
    {
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(scores);
        return Enumerable.Range(0, labels.Count)
            .GroupBy(i => segments[i] ?? MissingSegment, StringComparer.Ordinal)
            .OrderBy(group => group.Key, StringComparer.Ordinal)
            .Select(group =>
            {
                var rows = group.ToList();
                var segmentLabels = rows.Select(i => labels[i]).ToList();
                var positives = segmentLabels.LongCount(label => label);
                double? auc = positives == 0 || positives == rows.Count
                    ? null
                    : RocAucScore.Compute(segmentLabels, rows.Select(i => scores[i]).ToList());
                return new SegmentResult(feature, group.Key, rows.Count, positives, auc);
            })
            .ToList();
    }
}
