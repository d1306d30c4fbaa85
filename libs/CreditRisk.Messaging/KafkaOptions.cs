namespace CreditRisk.Messaging;

/// <summary>
/// Configuration section "Kafka" (environment: Kafka__BootstrapServers, Kafka__Producer__linger.ms, ...).
/// Producer/Consumer/Admin hold any extra librdkafka setting by its own name.
/// </summary>
public sealed class KafkaOptions
{
    public const string SectionName = "Kafka";

    public string BootstrapServers { get; set; } = "127.0.0.1:9092";

    /// <summary>Client id reported to the broker; defaults to the application name.</summary>
    public string? ClientId { get; set; }

    /// <summary>Consumer group of subscriptions that name none; defaults to the application name.</summary>
    public string? GroupId { get; set; }

    /// <summary>Create the catalogue's topics at start-up when missing.</summary>
    public bool ProvisionTopics { get; set; } = true;

    /// <summary>How often librdkafka reports statistics, from which consumer lag is measured (0 = off).</summary>
    public int StatisticsIntervalMs { get; set; } = 5_000;

    public Dictionary<string, string> Producer { get; set; } = [];

    public Dictionary<string, string> Consumer { get; set; } = [];

    public Dictionary<string, string> Admin { get; set; } = [];
}
