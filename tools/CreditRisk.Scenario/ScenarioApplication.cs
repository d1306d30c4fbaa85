using CreditRisk.Contracts.Common.V1;
using CreditRisk.Contracts.Events.V1;

namespace CreditRisk.Scenario;

/// <summary>
/// One new application of the scenario's traffic: a returning customer of the dataset applying again. A shifted one
/// carries the outcome the scenario simulates for it (<see cref="TrafficSource"/>); the others' loans are still running.
/// </summary>
public sealed record ScenarioApplication(
    int Index,
    string ApplicationId,
    string CustomerId,
    LoanApplication Application,
    bool Shifted,
    LoanOutcome? SimulatedOutcome);
