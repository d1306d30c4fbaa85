namespace CreditRisk.FeatureStore;

/// <summary>
/// How a feature is derived from its view's source events. Window aggregations act on the events whose event
/// time lies in the half-open window (asOf − window, asOf] and on the source event's measure (see
/// <see cref="SourceEvent"/>): an event exactly one window old has left the window.
/// </summary>
public enum Aggregation
{
    /// <summary>Taken from the source record itself at request time (no window).</summary>
    None,

    /// <summary>Number of events in the window; 0 when none.</summary>
    Count,

    /// <summary>Sum of the measure in the window; 0 when none.</summary>
    Sum,

    /// <summary>Mean of the measure in the window; null when no event.</summary>
    Mean,

    /// <summary>Largest measure in the window; null when no event.</summary>
    Max,

    /// <summary>Number of events in the window whose measure is &gt; 0 (repayments: late payments); 0 when none.</summary>
    CountPositive,

    /// <summary>Share of events in the window whose measure is 0 (repayments: on time); null when no event.</summary>
    ZeroRatio,

    /// <summary>
    /// Whole days from the latest event with measure &gt; 0 (at or before asOf, ever seen) to asOf
    /// (repayments: days since last delinquency); null when there never was one. Not windowed.
    /// </summary>
    DaysSinceLastPositive,
}
