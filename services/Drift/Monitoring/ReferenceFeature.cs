using CreditRisk.Drift.Columns;

namespace CreditRisk.Drift.Service.Monitoring;

/// <summary>
/// One feature of a model's reference: its sample for the tests, and what data quality compares with (the numeric
/// range, the categories seen in training).
/// </summary>
public sealed record ReferenceFeature(string Name, ColumnSample Sample, double Minimum, double Maximum, IReadOnlySet<string> Categories)
{
    public ColumnKind Kind => Sample.Kind;
}
