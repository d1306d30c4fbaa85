namespace CreditRisk.Modeling.Evaluation;

/// <summary>
/// Where to cut probabilities into decisions. The default is the threshold at which the classes' score distributions
/// are furthest apart (the KS point: the largest TPR − FPR, Youden's J), because a default rate of a few tens of percent
/// makes 0.5 a poor cut; a credit policy that fixes its cut-off PD passes it instead.
/// </summary>
public static class DecisionThreshold
{
    /// <summary>The smallest distinct score s maximising TPR(s) − FPR(s), where a row is positive when its score ≥ s.</summary>
    public static double MaximizingKs(IReadOnlyList<bool> labels, IReadOnlyList<double> scores)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(scores);
        var (positives, negatives) = RocAucScore.CountClasses(labels);
        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        double truePositives = 0, falsePositives = 0, best = double.NegativeInfinity, threshold = 0.5;
        for (var i = 0; i < order.Length; i++)
        {
            if (labels[order[i]])
            {
                truePositives++;
            }
            else
            {
                falsePositives++;
            }
            var lastOfTie = i == order.Length - 1 || scores[order[i + 1]] != scores[order[i]];
            var gap = truePositives / positives - falsePositives / negatives;
            if (lastOfTie && gap > best)
            {
                best = gap;
                threshold = scores[order[i]];
            }
        }
        return threshold;
    }
}
