namespace CreditRisk.Modeling.Explanations;

/// <summary>
/// One input's share of a score: <see cref="Contribution"/> in log-odds of the positive label (positive raises the
/// probability of default), the sum over every column the featurisation derived from the input (its imputed value and
/// missing indicator, or its one-hot slots). <see cref="InputIndex"/> is the input's position in the signature.
/// </summary>
public sealed record InputContribution(int InputIndex, string Input, string ReadableName, double Contribution);
