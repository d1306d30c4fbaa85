namespace CreditRisk.FeatureStore;

/// <summary>What <see cref="CustomerFeatureState.Apply(CustomerEvent)"/> did with an event.</summary>
public enum ApplyOutcome
{
    /// <summary>Added to the state (within the allowed lateness, or in order).</summary>
    Accepted,

    /// <summary>An event with this id is already in the state; nothing changed (replay).</summary>
    Duplicate,

    /// <summary>Older than watermark − allowed lateness; nothing changed. Route it to the late topic.</summary>
    TooLate,
}
