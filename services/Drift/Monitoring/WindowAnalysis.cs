using CreditRisk.Contracts.Events.V1;

namespace CreditRisk.Drift.Service.Monitoring;

/// <summary>What a window's tests found: the features' and the prediction's drift, data quality and performance.</summary>
public sealed record WindowAnalysis(
    DatasetDriftResult Features,
    ColumnDriftResult Prediction,
    IReadOnlyList<FeatureQuality> Quality,
    WindowPerformance? Performance,
    long SampleSize,
    long SchemaMismatches,
    IReadOnlyList<string> SchemaMismatchReasons);
