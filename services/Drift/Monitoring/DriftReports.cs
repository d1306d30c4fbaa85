using CreditRisk.Contracts.Events.V1;
using CreditRisk.Drift.Methods;
using Google.Protobuf.WellKnownTypes;

namespace CreditRisk.Drift.Service.Monitoring;

/// <summary>The DriftReportPublished of a window: its identity, the tests' results, data quality and performance.</summary>
public static class DriftReports
{
    /// <summary>Stable per window, so a retried close writes the same report: "credit_default-v1-served-4000".</summary>
    public static string IdOf(StreamKey stream, long endSeq) =>
        $"{stream.ModelName}-v{stream.ModelVersion}-{(stream.Served ? "served" : "shadow")}-{endSeq}";

    public static string HtmlPathOf(string reportId) => $"/drift/reports/{Uri.EscapeDataString(reportId)}";

    public static DriftReportPublished Build(string reportId, StreamKey stream, WindowRange range, WindowAnalysis analysis, long referenceSize,
        DateTimeOffset now)
    {
        var report = new DriftReportPublished
        {
            Envelope = EventEnvelopeFactory.Create(stream.ModelName, now, RetrainAlerts.Source),
            ReportId = reportId,
            ModelName = stream.ModelName,
            ModelVersion = stream.ModelVersion,
            Served = stream.Served,
            WindowStart = Timestamp.FromDateTime(DateTime.SpecifyKind(range.FirstPredicted, DateTimeKind.Utc)),
            WindowEnd = Timestamp.FromDateTime(DateTime.SpecifyKind(range.LastPredicted, DateTimeKind.Utc)),
            SampleSize = analysis.SampleSize,
            SchemaMismatches = analysis.SchemaMismatches,
            ReferenceSize = referenceSize,
            DriftShare = analysis.Features.DriftShare,
            DriftShareThreshold = analysis.Features.DriftShareThreshold,
            DriftDetected = analysis.Features.DatasetDrift,
            Prediction = FeatureDriftOf(analysis.Prediction),
            PredictionDrift = analysis.Prediction.Drifted,
            HtmlPath = HtmlPathOf(reportId),
            Performance = analysis.Performance,
        };
        report.Features.AddRange(analysis.Features.Columns.Select(FeatureDriftOf));
        report.DataQuality.AddRange(analysis.Quality);
        return report;
    }

    private static FeatureDrift FeatureDriftOf(ColumnDriftResult column) => new()
    {
        Feature = column.Column,
        Method = column.Method.Name(),
        Value = column.Value,
        Threshold = column.Threshold,
        Drifted = column.Drifted,
    };
}
