namespace CreditRisk.Modeling.Profiles;

/// <summary>How many reference rows have the positive label (a default) and how many do not.</summary>
public sealed record LabelBalance(long Positives, long Negatives, double PositiveShare);
