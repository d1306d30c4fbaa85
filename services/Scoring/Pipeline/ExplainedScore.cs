using CreditRisk.Contracts.Scoring.V1;

namespace CreditRisk.Scoring.Pipeline;

/// <summary>A probability of default with its top reason codes, from one model pass.</summary>
public sealed record ExplainedScore(double Probability, IReadOnlyList<ReasonCode> ReasonCodes);
