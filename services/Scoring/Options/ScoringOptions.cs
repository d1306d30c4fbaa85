namespace CreditRisk.Scoring.Options;

/// <summary>Configuration section "Scoring".</summary>
public sealed class ScoringOptions
{
    public const string SectionName = "Scoring";

    /// <summary>The registered model a request without model_name is scored by.</summary>
    public string ModelName { get; set; } = "credit_default";

    /// <summary>Further registered models this instance serves (requests name them in model_name).</summary>
    public List<string> AdditionalModels { get; set; } = [];

    /// <summary>Names this replica's consumer group ("scoring-&lt;id&gt;"); defaults to the machine name and a random suffix.</summary>
    public string? InstanceId { get; set; }

    /// <summary>How often every served model is checked against the registry, so a missed event heals.</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How soon a failed first load is tried again (no model is served until one loads).</summary>
    public TimeSpan InitialRetryInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a request id's answer is kept: a retry within it returns the same prediction.</summary>
    public TimeSpan IdempotencyWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a request id stays reserved by a call that has not answered: a retry after it scores afresh.</summary>
    public TimeSpan IdempotencyReservationTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public string IdempotencyKeyPrefix { get; set; } = "creditrisk:scoring:request:";

    public int MaxBatchSize { get; set; } = 100;

    /// <summary>Largest request message accepted; a larger one is refused with RESOURCE_EXHAUSTED.</summary>
    public int MaxReceiveMessageBytes { get; set; } = 1024 * 1024;

    public OnlineStoreUnavailablePolicy OnlineStoreUnavailable { get; set; } = OnlineStoreUnavailablePolicy.FailClosed;

    /// <summary>How many reason codes a response carries.</summary>
    public int ReasonCodeCount { get; set; } = 3;

    /// <summary>PD bands, by ascending upper bound; empty means <see cref="RiskGrades.Default"/>.</summary>
    public List<RiskGradeBand> Grades { get; set; } = [];

    public DecisionThresholds Decision { get; set; } = new();

    public PredictionLogOptions PredictionLog { get; set; } = new();

    public ShadowOptions Shadow { get; set; } = new();

    /// <summary>Every model this instance serves, the default first.</summary>
    public IReadOnlyList<string> ServedModels() => [ModelName, .. AdditionalModels.Where(name => name != ModelName).Distinct()];
}
