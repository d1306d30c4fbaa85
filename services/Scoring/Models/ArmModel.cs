namespace CreditRisk.Scoring.Models;

/// <summary>One arm of a serving experiment with the model version it serves now.</summary>
/// <param name="Target">What the arm follows, as declared: "alias:champion" or "version:3".</param>
public sealed record ArmModel(string Name, string Target, double Weight, bool Shadow, LoadedModel Model);
