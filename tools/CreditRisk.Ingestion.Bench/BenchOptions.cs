namespace CreditRisk.Ingestion.Bench;

public sealed class BenchOptions
{
    public int Events { get; set; } = 200_000;

    public int BatchSize { get; set; } = 500;

    /// <summary>SubmitBatch calls in flight at once.</summary>
    public int Concurrency { get; set; } = 4;

    /// <summary>Sequential single Submit calls for the latency figures.</summary>
    public int SingleSubmits { get; set; } = 2_000;

    /// <summary>A running service's gRPC address (http://host:port); null hosts one in-process.</summary>
    public string? Target { get; set; }

    /// <summary>The x-api-key sent to <see cref="Target"/> (a writer's).</summary>
    public string? ApiKey { get; set; }
}
