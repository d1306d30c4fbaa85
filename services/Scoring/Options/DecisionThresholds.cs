namespace CreditRisk.Scoring.Options;

/// <summary>Approve below <see cref="ApproveBelow"/>, decline from <see cref="DeclineFrom"/>, review between.</summary>
public sealed class DecisionThresholds
{
    public double ApproveBelow { get; set; } = 0.10;

    public double DeclineFrom { get; set; } = 0.35;
}
