using System.Diagnostics;

namespace CreditRisk.Scoring.Telemetry;

/// <summary>The scoring service's trace source and meter name (the service defaults subscribe to "CreditRisk.*").</summary>
public static class ScoringTelemetry
{
    public const string Name = "CreditRisk.Scoring";

    public static readonly ActivitySource Source = new(Name);
}
