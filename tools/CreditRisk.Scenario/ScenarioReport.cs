using CreditRisk.Benchmarking;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Contracts.Registry.V1;
using CreditRisk.Contracts.Training.V1;

namespace CreditRisk.Scenario;

/// <summary>What the scenario saw, for its summary.</summary>
public sealed class ScenarioReport
{
    public required ModelVersion FirstChampion { get; init; }

    public long ExperimentRevision { get; set; }

    public long BaselineScored { get; set; }

    public DriftReportPublished? DriftedReport { get; set; }

    public PipelineRun? RetrainRun { get; set; }

    public ModelVersion? NewVersion { get; set; }

    public string PromotionDecision { get; set; } = "";

    public string PromotionReason { get; set; } = "";

    /// <summary>When the champion arm first answered with the new version, counted in scored requests.</summary>
    public long? SwappedAtScored { get; set; }

    public IReadOnlyList<DriftReportPublished> Reports { get; set; } = [];

    public TrafficCounters? Traffic { get; set; }

    public LatencySummary? Latency { get; set; }

    public LatencySummary? LatencyWhileTraining { get; set; }

    public (string ApplicationId, string TraceId)? SampleTrace { get; set; }

    public TimeSpan Elapsed { get; set; }

    /// <summary>The sample trace as the trace viewer holds it; null when no viewer was asked.</summary>
    public TraceCheck? SampleTraceCheck { get; set; }

    /// <summary>The replicated services as the broker saw them at the end; null when it could not be asked.</summary>
    public ReplicaView? Replicas { get; set; }

    public string? ReplicasUnavailable { get; set; }

    /// <summary>Why the scenario stopped before its end, when it did.</summary>
    public string? Incomplete { get; set; }
}
