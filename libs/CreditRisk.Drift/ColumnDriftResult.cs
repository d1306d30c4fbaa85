using CreditRisk.Drift.Binning;
using CreditRisk.Drift.Columns;
using CreditRisk.Drift.Methods;

namespace CreditRisk.Drift;

/// <summary>
/// One column's verdict: the method, its value (a p-value for the statistical tests, else the distance), the threshold,
/// whether it drifted, the sample sizes and missing counts, and the histogram the report draws.
/// A column empty on either side is not tested: its value is NaN and it does not drift.
/// </summary>
public sealed record ColumnDriftResult(
    string Column,
    ColumnKind Kind,
    DriftMethod Method,
    double Value,
    double Threshold,
    bool Drifted,
    long ReferenceCount,
    long CurrentCount,
    long ReferenceMissing,
    long CurrentMissing,
    int PooledUniqueCount,
    ColumnHistogram Histogram)
{
    public bool Tested => !double.IsNaN(Value);
}
