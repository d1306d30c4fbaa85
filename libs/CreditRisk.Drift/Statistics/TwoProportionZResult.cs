namespace CreditRisk.Drift.Statistics;

/// <summary>The pooled two-proportion z statistic and its two-sided p-value.</summary>
public readonly record struct TwoProportionZResult(double Statistic, double PValue);
