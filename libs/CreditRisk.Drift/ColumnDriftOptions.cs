using CreditRisk.Drift.Methods;

namespace CreditRisk.Drift;

/// <summary>A column's override: its method (null: the default rule) and threshold (null: the method's default).</summary>
public sealed record ColumnDriftOptions(DriftMethod? Method = null, double? Threshold = null);
