namespace CreditRisk.Training.Triggers;

/// <summary>What became of a retrain request: a run started (<see cref="RunId"/>), or skipped and why.</summary>
public sealed record RetrainDecision(string RequestId, string Decision, string? Reason, Guid? RunId, bool FirstDelivery)
{
    public const string Started = "started";
    public const string Skipped = "skipped";
}
