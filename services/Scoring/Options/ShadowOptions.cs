namespace CreditRisk.Scoring.Options;

/// <summary>The shadow arm's background queue.</summary>
public sealed class ShadowOptions
{
    /// <summary>Shadow requests queued; when full a shadow score is skipped (counted), never the caller slowed.</summary>
    public int QueueCapacity { get; set; } = 2_000;
}
