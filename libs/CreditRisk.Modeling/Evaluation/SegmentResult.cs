namespace CreditRisk.Modeling.Evaluation;

/// <summary>One segment of a categorical feature: its rows, defaults and ROC AUC (null when it holds one class only).</summary>
public sealed record SegmentResult(string Feature, string Segment, long Count, long Positives, double? RocAuc);
