namespace CreditRisk.Modeling.Data;

/// <summary>One model input, by name and kind, in the order the model takes them.</summary>
public sealed record FeatureColumn(string Name, ColumnKind Kind);
