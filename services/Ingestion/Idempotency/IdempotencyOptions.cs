namespace CreditRisk.Ingestion.Idempotency;

/// <summary>Configuration section "Idempotency".</summary>
public sealed class IdempotencyOptions
{
    public const string SectionName = "Idempotency";

    /// <summary>Prefix of the dedup keys in Redis (one key per event id).</summary>
    public string KeyPrefix { get; set; } = "creditrisk:ingestion:event:";

    /// <summary>
    /// How long a published event id is remembered. Resubmissions later than this are published again
    /// (consumers still deduplicate by event id). 35 days: longer than any client's retry horizon.
    /// </summary>
    public TimeSpan RetentionPeriod { get; set; } = TimeSpan.FromDays(35);

    /// <summary>
    /// How long a reservation holds while its event is being published. Longer than the producer's
    /// delivery timeout (Kafka:Producer:message.timeout.ms), so a slow publish is never overtaken; if the
    /// instance dies mid-publish the id is free again after this.
    /// </summary>
    public TimeSpan ReservationLease { get; set; } = TimeSpan.FromMinutes(2);
}
