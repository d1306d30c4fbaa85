namespace CreditRisk.Modeling.Profiles;

/// <summary>Order statistics the profile and the evaluation share: linear-interpolated quantiles (NumPy's default) and equal-width histograms.</summary>
public static class Quantiles
{
    /// <summary>The probabilities a profile records: 0, 1, 5, 10, 25, 50, 75, 90, 95, 99, 100 percent.</summary>
    public static IReadOnlyList<double> Standard { get; } = [0, 0.01, 0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95, 0.99, 1];

    /// <summary>The <paramref name="probability"/> quantile of ascending <paramref name="sorted"/>: position p·(n−1), interpolated between neighbours.</summary>
    public static double Of(IReadOnlyList<double> sorted, double probability)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0)
        {
            throw new ArgumentException("a quantile of no values", nameof(sorted));
        }
        var position = probability * (sorted.Count - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    public static IReadOnlyList<Quantile> Of(IReadOnlyList<double> sorted, IReadOnlyList<double> probabilities) =>
        probabilities.Select(p => new Quantile(p, Of(sorted, p))).ToList();
}
