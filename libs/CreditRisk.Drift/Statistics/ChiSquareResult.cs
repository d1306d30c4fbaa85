namespace CreditRisk.Drift.Statistics;

/// <summary>Pearson's statistic, its degrees of freedom and its upper-tail p-value.</summary>
public readonly record struct ChiSquareResult(double Statistic, int DegreesOfFreedom, double PValue);
