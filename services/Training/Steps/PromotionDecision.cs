namespace CreditRisk.Training.Steps;

/// <summary>Whether the new version becomes the champion (it is the challenger either way) and why, in words with the numbers.</summary>
public sealed record PromotionDecision(bool Champion, string Reason)
{
    public string Outcome => Champion ? "champion" : "challenger";
}
