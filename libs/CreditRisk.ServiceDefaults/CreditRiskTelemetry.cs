namespace CreditRisk.ServiceDefaults;

/// <summary>Names shared by every service's telemetry.</summary>
public static class CreditRiskTelemetry
{
    /// <summary>
    /// ActivitySources and Meters of the platform's own libraries start with this, so one wildcard
    /// subscription picks up every present and future one.
    /// </summary>
    public const string NamePrefix = "CreditRisk.";

    /// <summary>Health checks with this tag decide liveness (is the process alive at all).</summary>
    public const string LiveTag = "live";

    /// <summary>Health checks with this tag decide readiness (can it serve traffic now).</summary>
    public const string ReadyTag = "ready";

    public const string LivenessPath = "/health/live";
    public const string ReadinessPath = "/health/ready";
    public const string MetricsPath = "/metrics";
}
