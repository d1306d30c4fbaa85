namespace CreditRisk.Scoring.Options;

/// <summary>The prediction log's bounded buffer and batched publishing.</summary>
public sealed class PredictionLogOptions
{
    /// <summary>Predictions buffered before a request waits for room.</summary>
    public int Capacity { get; set; } = 20_000;

    /// <summary>Predictions per published batch.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>How long a request waits for room in a full buffer before it fails UNAVAILABLE.</summary>
    public TimeSpan MaxEnqueueWait { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long shutdown waits for the buffer to be published.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(15);
}
