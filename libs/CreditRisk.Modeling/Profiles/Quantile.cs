namespace CreditRisk.Modeling.Profiles;

/// <summary>The value below which <see cref="Probability"/> of the values lie.</summary>
public sealed record Quantile(double Probability, double Value);
