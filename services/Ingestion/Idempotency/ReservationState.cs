namespace CreditRisk.Ingestion.Idempotency;

public enum ReservationState
{
    /// <summary>This request holds the event id: publish, then confirm or release.</summary>
    Reserved,

    /// <summary>The event was published before: acknowledge, do not publish.</summary>
    AlreadyPublished,

    /// <summary>Another request holds the event id right now and has not finished publishing.</summary>
    InFlight,

    /// <summary>The event id was used for an event with different content.</summary>
    Conflict,
}
