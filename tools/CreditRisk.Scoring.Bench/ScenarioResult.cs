using CreditRisk.Benchmarking;

namespace CreditRisk.Scoring.Bench;

/// <summary>One scenario against one target: the latencies of the measured requests, their rate, and the failures.</summary>
public sealed record ScenarioResult(Scenario Scenario, string Target, LatencySummary Latency, double RequestsPerSecond, long Errors, string? FirstError = null);
