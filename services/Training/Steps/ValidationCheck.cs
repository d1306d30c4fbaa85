namespace CreditRisk.Training.Steps;

/// <summary>One check of a training set: its name, whether it passed, and the numbers it judged by, in words.</summary>
public sealed record ValidationCheck(string Name, bool Passed, string Detail);
