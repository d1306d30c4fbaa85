namespace CreditRisk.Scenario;

/// <summary>Where the services are and how much traffic the scenario sends.</summary>
public sealed record ScenarioOptions
{
    public required Uri Ingestion { get; init; }

    public required Uri Scoring { get; init; }

    public required Uri Registry { get; init; }

    public required Uri Training { get; init; }

    public required Uri Drift { get; init; }

    /// <summary>The features service's gRPC address, named in the summary (the scenario does not call it).</summary>
    public required Uri FeaturesAddress { get; init; }

    /// <summary>HTTP addresses the summary links to (reports, the registry, the trace viewer).</summary>
    public required Uri TrainingHttp { get; init; }

    public required Uri DriftHttp { get; init; }

    public required Uri RegistryHttp { get; init; }

    public required Uri Dashboard { get; init; }

    public required string ApiKey { get; init; }

    /// <summary>The broker, asked at the end how the replicated services share their topics.</summary>
    public required string KafkaBootstrapServers { get; init; }

    public string ModelName { get; init; } = "credit_default";

    /// <summary>New applications per second, each scored and submitted through ingestion.</summary>
    public double Rate { get; init; } = 100;

    /// <summary>Applications of the unshifted population first: one drift window's worth, which should show no drift.</summary>
    public int BaselineApplications { get; init; } = 2_000;

    /// <summary>Share of live traffic the challenger arm gets; the challenger also scores every request in shadow.</summary>
    public double ChallengerWeight { get; init; } = 0.1;

    /// <summary>How long each wait (a drift report, the retrain run, the swap) may take before the scenario gives up.</summary>
    public TimeSpan StepTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public ShiftSettings Shift { get; init; } = new();
}
