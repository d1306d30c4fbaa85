namespace CreditRisk.Scoring.Options;

/// <summary>What scoring does when the online store (Redis) cannot be read.</summary>
public enum OnlineStoreUnavailablePolicy
{
    /// <summary>The request fails with UNAVAILABLE: no decision on features the model did not see.</summary>
    FailClosed,

    /// <summary>The customer features take their defaults, the decision is REVIEW and the response is flagged degraded.</summary>
    Degrade,
}
