namespace CreditRisk.Modeling.Evaluation;

/// <summary>
/// Exact ROC AUC as the Mann-Whitney statistic: the share of (positive, negative) pairs the scores order
/// correctly, a tie counting one half (average ranks), which is what scikit-learn's roc_auc_score gives.
/// </summary>
public static class RocAucScore
{
    public static double Compute(IReadOnlyList<bool> labels, IReadOnlyList<double> scores)
    {
        if (labels.Count != scores.Count)
        {
            throw new ArgumentException($"{labels.Count} labels but {scores.Count} scores");
        }
        var (positives, negatives) = CountClasses(labels);
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        double positiveRankSum = 0;
        var start = 0;
        while (start < order.Length)
        {
            var end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]])
            {
                end++;
            }
            // Ranks are 1-based; every member of a tie gets the tie's average rank.
            var averageRank = (start + end) / 2.0 + 1;
            for (var k = start; k <= end; k++)
            {
                if (labels[order[k]])
                {
                    positiveRankSum += averageRank;
                }
            }
            start = end + 1;
        }
        return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }

    internal static (long Positives, long Negatives) CountClasses(IReadOnlyList<bool> labels)
    {
        long positives = labels.Count(label => label);
        long negatives = labels.Count - positives;
        if (positives == 0 || negatives == 0)
        {
            throw new ArgumentException("ROC AUC needs both classes among the labels");
        }
        return (positives, negatives);
    }
}
