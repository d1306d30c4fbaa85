namespace CreditRisk.Scoring.Features;

/// <summary>The online store (Redis) could not be read in time.</summary>
public sealed class OnlineStoreUnavailableException(string message, Exception inner) : Exception(message, inner);
