namespace CreditRisk.Modeling.Evaluation;

/// <summary>Discrimination and calibration of probabilities against binary labels.</summary>
public sealed record BinaryMetrics(double RocAuc, double Gini, double Ks, double LogLoss, double Brier)
{
    private const double ProbabilityClip = 1e-15;

    public static BinaryMetrics Compute(IReadOnlyList<bool> labels, IReadOnlyList<double> probabilities)
    {
        var auc = RocAucScore.Compute(labels, probabilities);
        return new(auc, 2 * auc - 1, KolmogorovSmirnov(labels, probabilities), LogLossOf(labels, probabilities), BrierOf(labels, probabilities));
    }

    /// <summary>The mean of each metric over folds.</summary>
    public static BinaryMetrics Mean(IReadOnlyList<BinaryMetrics> folds) =>
        new(
            folds.Average(m => m.RocAuc),
            folds.Average(m => m.Gini),
            folds.Average(m => m.Ks),
            folds.Average(m => m.LogLoss),
            folds.Average(m => m.Brier));

    /// <summary>The largest gap between the classes' score distributions, thresholds taken between distinct scores.</summary>
    public static double KolmogorovSmirnov(IReadOnlyList<bool> labels, IReadOnlyList<double> scores)
    {
        var (positives, negatives) = RocAucScore.CountClasses(labels);
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        double cumulativePositive = 0, cumulativeNegative = 0, best = 0;
        for (var i = 0; i < order.Length; i++)
        {
            if (labels[order[i]])
            {
                cumulativePositive++;
            }
            else
            {
                cumulativeNegative++;
            }
            var lastOfTie = i == order.Length - 1 || scores[order[i + 1]] != scores[order[i]];
            if (lastOfTie)
            {
                best = Math.Max(best, Math.Abs(cumulativePositive / positives - cumulativeNegative / negatives));
            }
        }
        return best;
    }

    public static double LogLossOf(IReadOnlyList<bool> labels, IReadOnlyList<double> probabilities)
    {
        double sum = 0;
        for (var i = 0; i < labels.Count; i++)
        {
            var p = Math.Clamp(probabilities[i], ProbabilityClip, 1 - ProbabilityClip);
            sum -= labels[i] ? Math.Log(p) : Math.Log(1 - p);
        }
        return sum / labels.Count;
    }

    public static double BrierOf(IReadOnlyList<bool> labels, IReadOnlyList<double> probabilities)
    {
        double sum = 0;
        for (var i = 0; i < labels.Count; i++)
        {
            var error = probabilities[i] - (labels[i] ? 1 : 0);
            sum += error * error;
        }
        return sum / labels.Count;
    }
}
