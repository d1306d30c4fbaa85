namespace CreditRisk.Drift.Service.Api;

/// <summary>A window as the index pages list it; <see cref="Status"/> "no_profile" windows have no report.</summary>
public sealed record ReportSummary(
    string ReportId, int ModelVersion, bool Served, DateTime WindowStart, DateTime WindowEnd, long Predictions, string Status,
    bool DatasetDrift, bool PredictionDrift, double DriftShare, long Labelled, DateTime Created, bool Alerted);
