namespace CreditRisk.Drift.Statistics;

/// <summary>The two-sample KS statistic D, its two-sided p-value, and whether the p-value is exact.</summary>
public readonly record struct KolmogorovSmirnovResult(double Statistic, double PValue, bool Exact);
