namespace CreditRisk.Drift;

/// <summary>Every column's result, the share that drifted, and the dataset verdict (share ≥ threshold).</summary>
public sealed record DatasetDriftResult(IReadOnlyList<ColumnDriftResult> Columns, double DriftShare, double DriftShareThreshold, bool DatasetDrift)
{
    public int DriftedCount => Columns.Count(c => c.Drifted);
}
