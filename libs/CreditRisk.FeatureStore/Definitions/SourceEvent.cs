namespace CreditRisk.FeatureStore;

/// <summary>
/// The raw event type a feature view is computed from, and the measure its window aggregations use.
/// </summary>
public enum SourceEvent
{
    /// <summary><c>LoanApplicationSubmitted</c>; measure: requested amount.</summary>
    LoanApplicationSubmitted,

    /// <summary><c>TransactionRecorded</c>; measure: signed amount (positive in, negative out).</summary>
    TransactionRecorded,

    /// <summary><c>RepaymentRecorded</c>; measure: days past due (0 = on time).</summary>
    RepaymentRecorded,
}
