namespace CreditRisk.Modeling.Evaluation;

/// <summary>Decisions at a threshold: a row is predicted positive (a default) when its probability is ≥ <see cref="Threshold"/>.</summary>
public sealed record ConfusionMatrix(double Threshold, long TruePositives, long FalsePositives, long TrueNegatives, long FalseNegatives)
{
    public long Count => TruePositives + FalsePositives + TrueNegatives + FalseNegatives;

    public double Accuracy => Ratio(TruePositives + TrueNegatives, Count);

    /// <summary>Share of predicted defaults that defaulted.</summary>
    public double Precision => Ratio(TruePositives, TruePositives + FalsePositives);

    /// <summary>Share of defaults caught (true positive rate).</summary>
    public double Recall => Ratio(TruePositives, TruePositives + FalseNegatives);

    /// <summary>Share of repaid loans predicted repaid (true negative rate).</summary>
    public double Specificity => Ratio(TrueNegatives, TrueNegatives + FalsePositives);

    public static ConfusionMatrix At(IReadOnlyList<bool> labels, IReadOnlyList<double> probabilities, double threshold)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(probabilities);
        long tp = 0, fp = 0, tn = 0, fn = 0;
        for (var i = 0; i < labels.Count; i++)
        {
            var predicted = probabilities[i] >= threshold;
            switch (labels[i], predicted)
            {
                case (true, true): tp++; break;
                case (false, true): fp++; break;
                case (false, false): tn++; break;
                case (true, false): fn++; break;
            }
        }
        return new ConfusionMatrix(threshold, tp, fp, tn, fn);
    }

    private static double Ratio(long part, long whole) => whole == 0 ? 0 : (double)part / whole;
}
