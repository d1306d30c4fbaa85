namespace CreditRisk.Ingestion.Ingestion;

/// <summary>Configuration section "Ingestion".</summary>
public sealed class IngestionOptions
{
    public const string SectionName = "Ingestion";

    /// <summary>Stamped on events whose caller gives no source.</summary>
    public string DefaultSource { get; set; } = "ingestion";

    /// <summary>How far an event time may lie ahead of this server's clock (clients' clocks drift).</summary>
    public TimeSpan MaxFutureSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Event times before this are rejected as implausible (a zero or garbage timestamp).</summary>
    public DateTimeOffset MinEventTime { get; set; } = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Envelope schema versions this service understands.</summary>
    public int[] SupportedSchemaVersions { get; set; } = [1];

    /// <summary>Most items one SubmitBatch call may carry.</summary>
    public int MaxBatchSize { get; set; } = 5_000;

    /// <summary>How long a request waits for another in-flight request with the same event id to settle.</summary>
    public TimeSpan InFlightWait { get; set; } = TimeSpan.FromSeconds(5);
}
