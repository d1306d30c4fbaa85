namespace CreditRisk.Scoring.Options;

/// <summary>A risk grade: probabilities of default up to <see cref="MaxProbability"/> (inclusive) and above the previous band's.</summary>
public sealed class RiskGradeBand
{
    public string Name { get; set; } = "";

    public double MaxProbability { get; set; }
}
