namespace CreditRisk.Drift.Statistics;

/// <summary>
/// The two-proportion z-test with the pooled proportion, as Evidently's z test: z = (p1 − p2) / √(P(1−P)(1/n1 + 1/n2)).
/// The two-sided p-value is erfc(|z|/√2), which equals Evidently's 2(1 − Φ(|z|)) but keeps its precision in the tail.
/// </summary>
public static class TwoProportionZ
{
    public static TwoProportionZResult Test(long successes1, long size1, long successes2, long size2)
    {
        if (size1 <= 0 || size2 <= 0) throw new ArgumentException("Both samples must be non-empty.");
        var p1 = (double)successes1 / size1;
        var p2 = (double)successes2 / size2;
        var pooled = (p1 * size1 + p2 * size2) / (size1 + size2);
        var z = (p1 - p2) / Math.Sqrt(pooled * (1 - pooled) * (1.0 / size1 + 1.0 / size2));
        var p = double.IsNaN(z) ? double.NaN : SpecialFunctions.Erfc(Math.Abs(z) / Math.Sqrt(2));
        return new TwoProportionZResult(z, p);
    }
}
