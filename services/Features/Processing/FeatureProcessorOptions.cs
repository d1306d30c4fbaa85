using CreditRisk.Contracts.Topics;

namespace CreditRisk.Features.Processing;

/// <summary>Configuration section "FeatureProcessor" (environment: FeatureProcessor__AllowedLateness, ...).</summary>
public sealed class FeatureProcessorOptions
{
    public const string SectionName = "FeatureProcessor";

    /// <summary>Run the stream processor in this instance (a retrieval-only replica sets false).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Consumer group of every instance of the processor: Kafka spreads the partitions over them.</summary>
    public string GroupId { get; set; } = "features";

    /// <summary>Raw-event topics consumed, all keyed by customer id; empty = the catalogue's three source topics.</summary>
    public List<string> Topics { get; set; } = [];

    /// <summary>The topics actually consumed (configuration binding appends to lists, hence no initialiser above).</summary>
    public IReadOnlyList<string> SourceTopics => Topics.Count > 0
        ? Topics
        : [TopicCatalogue.LoanApplications.Name, TopicCatalogue.Transactions.Name, TopicCatalogue.Repayments.Name];

    /// <summary>A batch closes at this many records...</summary>
    public int MaxBatchRecords { get; set; } = 5_000;

    /// <summary>...or this long after its first record, whichever comes first.</summary>
    public TimeSpan MaxBatchDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Batches whose writes may be in flight while the next ones are applied: the stores and the broker are
    /// waited on concurrently, and the consume thread keeps computing (the README has the measurements).
    /// </summary>
    public int MaxBatchesInFlight { get; set; } = 10;

    /// <summary>
    /// How often the changed customer states and the source offsets are checkpointed to PostgreSQL (Kafka Streams'
    /// commit interval, whose at-least-once default is also 30 s). Longer: fewer state writes (a customer changed
    /// many times is stored once); shorter: less to redo after a crash. Revocation and shutdown checkpoint at once,
    /// and so does an input that runs dry. At 5 s, writing every active customer's window cost about a fifth of the
    /// machine in the 1M-event benchmark (its PostgreSQL upserts, the snapshots' serialisation and their garbage).
    /// </summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long stopping waits for in-flight writes, to checkpoint them instead of redoing them.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How far behind a customer's newest event an event may be and still update the windows.</summary>
    public TimeSpan AllowedLateness { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// How far (in event time) one input partition may run ahead of the slowest one that still has records before
    /// its records are held back; null = half the allowed lateness. Keeps the three topics in step when catching up or
    /// replaying, so that one topic read ahead does not make another's events late.
    /// </summary>
    public TimeSpan? MaxInputSkew { get; set; }

    public TimeSpan EffectiveMaxInputSkew => MaxInputSkew ?? AllowedLateness / 2;

    /// <summary>How long a silent input partition (nothing buffered, not known to be at its end) may hold the others back.</summary>
    public TimeSpan MaxInputIdle { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Where events later than <see cref="AllowedLateness"/> go, unchanged, with headers saying why.</summary>
    public string LateTopic { get; set; } = "creditrisk.late-events.v1";

    /// <summary>
    /// The late topic as provisioned (it is the processor's own, not the catalogue's): raw records of every source type,
    /// keyed by customer, kept 30 days for inspection and re-ingestion.
    /// </summary>
    public TopicDefinition LateTopicDefinition =>
        new(LateTopic, "customer_id", ValueType: null, Partitions: 6, CleanupPolicy.Delete, TimeSpan.FromDays(30));

    /// <summary>Publish FeatureVectorUpdated for every vector written online.</summary>
    public bool PublishFeatureUpdates { get; set; } = true;

    /// <summary>Customer states kept in memory between checkpoints beyond which a checkpoint empties the cache.</summary>
    public int StateCacheCapacity { get; set; } = 500_000;

    /// <summary>Topic of FeatureVectorUpdated (the catalogue's unless a test says otherwise).</summary>
    public string FeatureUpdatesTopic { get; set; } = TopicCatalogue.FeatureUpdates.Name;
}
