namespace CreditRisk.Drift.Service.Monitoring;

/// <summary>
/// A stream as stored: the next prediction number, where closed windows end, and when its first prediction not yet in
/// a window arrived (null when there is none).
/// </summary>
public sealed record StreamState(long StreamId, StreamKey Key, long NextSeq, long ClosedUntil, DateTime? FirstPendingReceived);
