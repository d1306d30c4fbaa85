namespace CreditRisk.Drift.Columns;

/// <summary>Evidently's feature types: numerical ("num") or categorical ("cat").</summary>
public enum ColumnKind
{
    Numeric,
    Categorical,
}
