using System.Diagnostics;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Drift.Service.Reports;
using CreditRisk.Drift.Service.Telemetry;
using CreditRisk.Outbox;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CreditRisk.Drift.Service.Monitoring;

/// <summary>
/// Closes windows as they fill (or age), tests each against its model version's reference and writes the report, its
/// HTML, its alert and the DriftReportPublished / RetrainRequested events in one transaction; and recomputes the
/// performance of reports that late outcomes made stale. A window is closed by moving its stream's closed mark, so a
/// crash before the commit closes it again from the same predictions, and two replicas cannot both close it.
/// </summary>
public sealed class WindowCloser(
    WindowStore store,
    ReferenceProfiles references,
    RetrainAlerts alerts,
    OutboxWriter outbox,
    OutboxSignal outboxSignal,
    WindowSignal signal,
    IOptions<DriftMonitorOptions> options,
    TimeProvider clock,
    ILogger<WindowCloser> logger) : BackgroundService
{
    private const int StaleReportsPerSweep = 20;

    private readonly WindowAnalyzer _analyzer = WindowAnalyzer.From(options.Value);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SweepAsync(stoppingToken);
                failures = 0;
                await signal.WaitAsync(options.Value.SweepInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // Nothing was committed for the window that failed: the next sweep closes it from the same predictions.
                failures++;
                var delay = TimeSpan.FromMilliseconds(Math.Min(30_000, 200 * Math.Pow(2, Math.Min(failures, 8))));
                logger.LogWarning(exception, "Closing drift windows failed (attempt {Attempt}); retrying in {Delay}", failures, delay);
                try
                {
                    await Task.Delay(delay, clock, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Closes every window that is due and refreshes stale performance; returns the reports written.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var written = 0;
        Exception? failed = null;
        foreach (var stream in await store.PendingStreamsAsync(cancellationToken))
        {
            try
            {
                written += await CloseDueAsync(stream, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // One stream's trouble (its version's registry lookup, say) does not hold up the others' windows;
                // the loop logs the first failure when it backs off.
                failed ??= exception;
            }
        }
        foreach (var reportId in await store.StaleReportsAsync(StaleReportsPerSweep, cancellationToken))
        {
            if (await RefreshPerformanceAsync(reportId, cancellationToken))
            {
                written++;
            }
        }
        if (failed is not null)
        {
            throw failed;   // backs the loop off
        }
        return written;
    }

    private async Task<int> CloseDueAsync(StreamState stream, CancellationToken cancellationToken)
    {
        var written = 0;
        var state = stream;
        while (WindowPolicy.Next(state, options.Value, clock.GetUtcNow().UtcDateTime) is { } window)
        {
            if (!await CloseAsync(state, window.StartSeq, window.EndSeq, cancellationToken))
            {
                break;
            }
            written++;
            if (window.EndSeq >= state.NextSeq)
            {
                break;
            }
            // Only a count-full window leaves more to close; its first pending prediction's age is unknown here.
            state = state with { ClosedUntil = window.EndSeq, FirstPendingReceived = null };
        }
        return written;
    }

    private async Task<bool> CloseAsync(StreamState stream, long startSeq, long endSeq, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var activity = DriftTelemetry.Source.StartActivity("drift window");
        activity?.SetTag(DriftTelemetry.ModelTag, stream.Key.ModelName);
        activity?.SetTag(DriftTelemetry.VersionTag, stream.Key.ModelVersion);
        activity?.SetTag(DriftTelemetry.ServedTag, stream.Key.Served);
        var reportId = DriftReports.IdOf(stream.Key, endSeq);
        var lookup = await references.GetAsync(stream.Key.ModelName, stream.Key.ModelVersion, cancellationToken);

        await using var connection = await store.Database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var (predictions, range) = await WindowStore.LoadWindowAsync(connection, transaction, stream.StreamId, startSeq, endSeq, cancellationToken);
        var now = clock.GetUtcNow();
        if (!await WindowStore.AdvanceAsync(connection, transaction, stream.StreamId, stream.ClosedUntil, endSeq, cancellationToken))
        {
            logger.LogDebug("Window {Report} was closed by another replica", reportId);
            return false;
        }
        if (lookup.Reference is not { } reference)
        {
            await WindowStore.InsertWindowAsync(connection, transaction, reportId, stream.StreamId, stream.Key, range, "no_profile", null, null, now.UtcDateTime, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            DriftTelemetry.WindowsClosed.Add(1, new KeyValuePair<string, object?>("status", "no_profile"));
            logger.LogWarning("Window {Report} of {Count} predictions not tested: {Reason}", reportId, range.Count, lookup.MissingReason);
            return true;
        }

        var analysis = _analyzer.Analyze(reference, predictions);
        var report = DriftReports.Build(reportId, stream.Key, range, analysis, reference.Size, now);
        var alert = await alerts.DecideAsync(connection, transaction, report, now, cancellationToken);
        report.Alerts.AddRange(Describe(alert));
        var html = WindowHtmlReport.Render(report, analysis, options.Value.PublicBaseUrl);
        await WindowStore.InsertWindowAsync(connection, transaction, reportId, stream.StreamId, stream.Key, range, "reported", report, html, now.UtcDateTime, cancellationToken);
        await outbox.EnqueueAsync(connection, transaction, report, now.UtcDateTime, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outboxSignal.Notify();

        if (analysis.SchemaMismatches > 0)
        {
            DriftTelemetry.SchemaMismatches.Add(analysis.SchemaMismatches, new KeyValuePair<string, object?>(DriftTelemetry.ModelTag, stream.Key.ModelName));
            logger.LogWarning("Window {Report}: {Count} predictions do not match the reference's schema and were left out, e.g. {Examples}",
                reportId, analysis.SchemaMismatches, string.Join("; ", analysis.SchemaMismatchReasons));
        }
        DriftTelemetry.WindowsClosed.Add(1, new KeyValuePair<string, object?>("status", "reported"));
        DriftTelemetry.WindowSize.Record(range.Count);
        DriftTelemetry.WindowDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        DriftTelemetry.RecordReport(stream.Key.ModelName, stream.Key.ModelVersion, stream.Key.Served, report.DriftShare,
            report.Features.Select(feature => (feature.Feature, feature.Value)).Append((report.Prediction.Feature, report.Prediction.Value)));
        logger.LogInformation("Drift report {Report}: {Verdict}, {Drifted} of {Features} features drifted, prediction {Prediction}, {Count} predictions{Alert}",
            reportId, report.DriftDetected ? "dataset drift" : "no dataset drift", report.Features.Count(f => f.Drifted), report.Features.Count,
            report.PredictionDrift ? "drifted" : "stable", range.Count, alert.Raised ? "; retraining requested" : "");
        return true;
    }

    private async Task<bool> RefreshPerformanceAsync(string reportId, CancellationToken cancellationToken)
    {
        await using var connection = await store.Database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await WindowStore.LockStaleAsync(connection, transaction, reportId, cancellationToken) is not { } window)
        {
            return false;
        }
        var report = window.Report;
        var lookup = await references.GetAsync(report.ModelName, report.ModelVersion, cancellationToken);
        if (lookup.Reference is not { } reference)
        {
            return false;
        }
        var (predictions, _) = await WindowStore.LoadWindowAsync(connection, transaction, window.StreamId, window.StartSeq, window.EndSeq, cancellationToken);
        var analysis = _analyzer.Analyze(reference, predictions);
        var now = clock.GetUtcNow();
        report.Performance = analysis.Performance;
        report.Envelope = EventEnvelopeFactory.Create(report.ModelName, now, RetrainAlerts.Source);
        var alert = await alerts.DecideAsync(connection, transaction, report, now, cancellationToken);
        report.Alerts.AddRange(Describe(alert));
        var html = WindowHtmlReport.Render(report, analysis, options.Value.PublicBaseUrl);
        await WindowStore.UpdateReportAsync(connection, transaction, report, html, now.UtcDateTime, cancellationToken);
        await outbox.EnqueueAsync(connection, transaction, report, now.UtcDateTime, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outboxSignal.Notify();
        logger.LogInformation("Drift report {Report}: performance on {Labelled} labelled predictions, ROC AUC {Auc:0.###}{Alert}",
            reportId, report.Performance?.Labelled ?? 0, report.Performance?.RocAuc ?? double.NaN, alert.Raised ? "; retraining requested" : "");
        return true;
    }

    private static IEnumerable<string> Describe(AlertDecision alert) => !alert.Alerted ? []
        : alert.Raised ? alert.Reasons.Select(reason => $"{reason} (retraining requested: {alert.RequestId})")
        : alert.Reasons.Select(reason => $"{reason} (not raised: inside the cool-down after report {alert.SuppressedBy})");
}
