namespace CreditRisk.Modeling.Evaluation;

/// <summary>The ROC curve's points (false positive rate, true positive rate) from (0, 0) to (1, 1), one per distinct score.</summary>
public static class RocCurve
{
    public static IReadOnlyList<(double FalsePositiveRate, double TruePositiveRate)> Points(IReadOnlyList<bool> labels, IReadOnlyList<double> scores)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(scores);
        var (positives, negatives) = RocAucScore.CountClasses(labels);
        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        var points = new List<(double, double)> { (0, 0) };
        double truePositives = 0, falsePositives = 0;
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
            if (i == order.Length - 1 || scores[order[i + 1]] != scores[order[i]])
            {
                points.Add((falsePositives / negatives, truePositives / positives));
            }
        }
        return points;
    }
}
