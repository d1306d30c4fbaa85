using CreditRisk.Contracts.Common.V1;

namespace CreditRisk.Scoring.Features;

/// <summary>
/// The vector one model gets for one request, in its input order: each value as the model takes it (null = missing),
/// the feature as served (name, value, event time, status) for the response and the log, and whether any took a default.
/// </summary>
public sealed record AssembledFeatures(object?[] ModelValues, ServedFeature[] Served, bool DefaultsUsed, bool Degraded);
