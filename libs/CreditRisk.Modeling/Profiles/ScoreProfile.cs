namespace CreditRisk.Modeling.Profiles;

/// <summary>The predicted probability over the reference rows: quantiles, a histogram on [0, 1] and the mean.</summary>
public sealed record ScoreProfile(long Count, double Mean, IReadOnlyList<Quantile> Quantiles, Histogram Histogram);
