namespace CreditRisk.Drift.Statistics;

/// <summary>Pearson's chi-square goodness of fit, as scipy.stats.chisquare(f_obs, f_exp) with ddof 0.</summary>
public static class ChiSquare
{
    public static ChiSquareResult GoodnessOfFit(ReadOnlySpan<double> observed, ReadOnlySpan<double> expected)
    {
        if (observed.Length != expected.Length) throw new ArgumentException("Observed and expected differ in length.");
        if (observed.Length == 0) throw new ArgumentException("At least one category is needed.");
        var statistic = 0.0;
        for (var i = 0; i < observed.Length; i++)
        {
            var difference = observed[i] - expected[i];
            // An expected count of zero with an observed one makes the statistic infinite, as in scipy.
            statistic += difference * difference / expected[i];
        }
        var df = observed.Length - 1;
        var p = df == 0 || double.IsNaN(statistic) ? double.NaN : SpecialFunctions.ChiSquareSurvival(statistic, df);
        return new ChiSquareResult(statistic, df, p);
    }
}
