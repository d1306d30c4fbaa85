namespace CreditRisk.Training.Pipeline;

/// <summary>How the engine executes runs (configuration section <c>Training:Pipeline</c>).</summary>
public sealed class PipelineOptions
{
    public const string SectionName = "Training:Pipeline";

    /// <summary>Whether this replica executes runs at all (the API and triggers work without).</summary>
    public bool WorkerEnabled { get; set; } = true;

    /// <summary>Runs this replica executes at the same time.</summary>
    public int Concurrency { get; set; } = 1;

    /// <summary>How long a claim holds without renewal; another replica resumes a run whose lease expired.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the lease is renewed; unset: a third of <see cref="LeaseDuration"/>.</summary>
    public TimeSpan? HeartbeatInterval { get; set; }

    /// <summary>How often an idle worker looks for a claimable run (a run created on this replica wakes it at once).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Executions of a step per claim, the first included, before a transient failure fails the run.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>The first retry's delay; each later one doubles it (with jitter), up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan EffectiveHeartbeatInterval => HeartbeatInterval ?? LeaseDuration / 3;
}
