using System.Globalization;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Drift.Service.Telemetry;
using CreditRisk.Outbox;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CreditRisk.Drift.Service.Monitoring;

/// <summary>
/// Turns a report's findings into at most one RetrainRequested: dataset drift, prediction drift or a performance drop of
/// the served predictions raise one per report (drift.alerts is keyed by report), written to the outbox in the report's
/// transaction; inside a model's cool-down the alert is recorded as suppressed. Decisions about one model are serialised
/// by a transaction-scoped advisory lock, so replicas cannot both raise.
/// </summary>
public sealed class RetrainAlerts(OutboxWriter outbox, IOptions<DriftMonitorOptions> options, ILogger<RetrainAlerts> logger)
{
    public const string Source = "drift";

    /// <summary>The reasons the report alerts for (empty: none), in the order dataset, prediction, performance.</summary>
    public IReadOnlyList<string> ReasonsOf(DriftReportPublished report)
    {
        var alerts = options.Value.Alerts;
        var reasons = new List<string>();
        if (alerts.ServedOnly && !report.Served)
        {
            return reasons;
        }
        if (alerts.OnDatasetDrift && report.DriftDetected)
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture,
                $"dataset drift: {report.Features.Count(f => f.Drifted)} of {report.Features.Count} features drifted (share {report.DriftShare:0.###} >= {report.DriftShareThreshold:0.###})"));
        }
        if (alerts.OnPredictionDrift && report.PredictionDrift)
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture,
                $"prediction drift: {report.Prediction.Method} {report.Prediction.Value:G4} against {report.Prediction.Threshold:G4}"));
        }
        if (report.Performance is { PerformanceDrop: true, Labelled: var labelled } performance && labelled >= alerts.MinLabelled)
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture,
                $"performance drop: ROC AUC {performance.RocAuc:0.###} on {labelled} labelled predictions, {performance.ReferenceRocAuc:0.###} on the reference"));
        }
        return reasons;
    }

    /// <summary>
    /// Decides and records the report's alert inside <paramref name="transaction"/> (the window row must exist in it);
    /// a report that alerted before gets no second request.
    /// </summary>
    public async Task<AlertDecision> DecideAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DriftReportPublished report,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var reasons = ReasonsOf(report);
        if (reasons.Count == 0)
        {
            return AlertDecision.None;
        }
        await using (var serialise = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended('drift-alert:' || $1, 0))", connection, transaction))
        {
            serialise.Parameters.Add(new() { Value = report.ModelName });
            await serialise.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var existing = new NpgsqlCommand("SELECT 1 FROM drift.alerts WHERE report_id = $1", connection, transaction))
        {
            existing.Parameters.Add(new() { Value = report.ReportId });
            if (await existing.ExecuteScalarAsync(cancellationToken) is not null)
            {
                return AlertDecision.None;
            }
        }
        string? suppressedBy = null;
        await using (var recent = new NpgsqlCommand("""
            SELECT report_id FROM drift.alerts WHERE model_name = $1 AND raised AND created_time > $2 ORDER BY created_time DESC LIMIT 1
            """, connection, transaction))
        {
            recent.Parameters.Add(new() { Value = report.ModelName });
            recent.Parameters.Add(new() { Value = (now - options.Value.Alerts.Cooldown).UtcDateTime });
            suppressedBy = await recent.ExecuteScalarAsync(cancellationToken) as string;
        }
        var raised = suppressedBy is null;
        var requestId = raised ? $"drift:{report.ReportId}" : null;
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO drift.alerts (report_id, model_name, reasons, raised, request_id, created_time) VALUES ($1, $2, $3, $4, $5, $6)
            """, connection, transaction))
        {
            insert.Parameters.Add(new() { Value = report.ReportId });
            insert.Parameters.Add(new() { Value = report.ModelName });
            insert.Parameters.Add(new() { Value = string.Join("; ", reasons) });
            insert.Parameters.Add(new() { Value = raised });
            insert.Parameters.Add(new() { Value = (object?)requestId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            insert.Parameters.Add(new() { Value = now.UtcDateTime });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        if (raised)
        {
            var request = new RetrainRequested
            {
                Envelope = EventEnvelopeFactory.Create(report.ModelName, now, Source),
                RequestId = requestId!,
                ModelName = report.ModelName,
                Trigger = RetrainTrigger.Drift,
                Reason = $"{report.ModelName} v{report.ModelVersion}: " + string.Join("; ", reasons),
                DriftReportId = report.ReportId,
            };
            await outbox.EnqueueAsync(connection, transaction, request, now.UtcDateTime, cancellationToken);
            logger.LogWarning("Report {Report} raised RetrainRequested {Request}: {Reasons}", report.ReportId, requestId, request.Reason);
        }
        else
        {
            logger.LogInformation("Report {Report} alerted ({Reasons}) inside the cool-down after report {Earlier}; recorded, not raised",
                report.ReportId, string.Join("; ", reasons), suppressedBy);
        }
        DriftTelemetry.Alerts.Add(1, new KeyValuePair<string, object?>("outcome", raised ? "raised" : "suppressed"),
            new KeyValuePair<string, object?>(DriftTelemetry.ModelTag, report.ModelName));
        return new AlertDecision(reasons, raised, requestId, suppressedBy);
    }
}
