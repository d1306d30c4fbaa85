namespace CreditRisk.Drift.Service.Monitoring;

/// <summary>
/// What a report's alert came to: nothing to raise, raised (a RetrainRequested with <see cref="RequestId"/>), or
/// suppressed inside the cool-down that <see cref="SuppressedBy"/>'s request started.
/// </summary>
public sealed record AlertDecision(IReadOnlyList<string> Reasons, bool Raised, string? RequestId, string? SuppressedBy)
{
    public static AlertDecision None { get; } = new([], false, null, null);

    public bool Alerted => Reasons.Count > 0;
}
