namespace CreditRisk.Ingestion.Idempotency;

/// <summary>
/// Durable memory of published event ids, shared by every instance: reserve → publish → confirm, and
/// release when publishing failed so that a retry can publish.
/// </summary>
public interface IIdempotencyStore
{
    /// <summary>Reserves each (event id, content hash) pair; one round trip for the whole list.</summary>
    Task<IReadOnlyList<Reservation>> ReserveAsync(IReadOnlyList<(string EventId, string ContentHash)> events, CancellationToken cancellationToken);

    /// <summary>Marks reserved events as published (remembered for the retention period).</summary>
    Task ConfirmAsync(IReadOnlyList<Reservation> reservations, CancellationToken cancellationToken);

    /// <summary>Frees reservations whose events were not published, so a retry publishes them.</summary>
    Task ReleaseAsync(IReadOnlyList<Reservation> reservations, CancellationToken cancellationToken);
}
