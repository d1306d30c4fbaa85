namespace CreditRisk.Ingestion.Idempotency;

/// <summary>The answer to a reservation attempt; <see cref="Token"/> proves ownership when confirming or releasing.</summary>
public readonly record struct Reservation(string EventId, ReservationState State, string Token, string ContentHash);
