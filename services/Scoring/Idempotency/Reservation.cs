namespace CreditRisk.Scoring.Idempotency;

/// <summary>One call's claim on a request id: its own marker, and whether it holds the id.</summary>
public sealed class Reservation(string requestId, string marker)
{
    public string RequestId { get; } = requestId;

    public string Marker { get; } = marker;

    public bool Held { get; internal set; }
}
