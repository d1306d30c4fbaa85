using System.Globalization;
using System.Text;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Drift.Service.Monitoring;
using static CreditRisk.Drift.Service.Reports.HtmlReport;

namespace CreditRisk.Drift.Service.Reports;

/// <summary>
/// A window's page, self-contained like the compare report: the verdict and alerts, each feature's and the prediction's
/// test with reference and current histograms, data quality, and performance once outcomes are known.
/// </summary>
public static class WindowHtmlReport
{
    private const int CalibrationSize = 220;

    public static string Render(DriftReportPublished report, WindowAnalysis analysis, string baseUrl = "")
    {
        var html = new StringBuilder();
        var title = $"Drift report {report.ReportId}";
        AppendHead(html, title);
        html.Append(Invariant($"<p><a href=\"{E(baseUrl + ReportIndexHtml.ModelPathOf(report.ModelName))}\">All reports of {E(report.ModelName)}</a></p>\n"));
        html.Append(Invariant($"<h1>{E(report.ModelName)} v{report.ModelVersion}: {(report.Served ? "served" : "shadow")} predictions</h1>\n"));
        html.Append(Invariant($"<p>Report <code>{E(report.ReportId)}</code>: {report.SampleSize + report.SchemaMismatches} predictions scored {Time(report.WindowStart)} to {Time(report.WindowEnd)}, against a reference sample of {report.ReferenceSize} training rows.</p>\n"));

        var verdict = report.DriftDetected ? "<span class=\"drift\">Dataset drift detected</span>" : "<span class=\"ok\">No dataset drift</span>";
        html.Append(Invariant($"<h2>{verdict}</h2>\n<p>{report.Features.Count(f => f.Drifted)} of {report.Features.Count} features drifted (share {report.DriftShare:0.###}; the dataset drifts at {report.DriftShareThreshold:0.###} or more). "));
        html.Append(report.PredictionDrift ? "<span class=\"drift\">The predicted probability drifted.</span>" : "<span class=\"ok\">The predicted probability did not drift.</span>");
        html.Append("</p>\n");
        if (report.Alerts.Count > 0)
        {
            html.Append("<ul>");
            foreach (var alert in report.Alerts) html.Append(Invariant($"<li class=\"warn\">{E(alert)}</li>"));
            html.Append("</ul>\n");
        }
        if (report.SchemaMismatches > 0)
        {
            html.Append(Invariant($"<p class=\"warn\">{report.SchemaMismatches} predictions did not match the reference's schema and were left out, e.g. {E(string.Join("; ", analysis.SchemaMismatchReasons))}.</p>\n"));
        }

        html.Append("<h2>Features</h2>\n");
        AppendColumns(html, analysis.Features.Columns);
        html.Append("<h2>Prediction</h2>\n");
        AppendColumns(html, [analysis.Prediction]);

        AppendQuality(html, report);
        AppendPerformance(html, report.Performance);
        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static void AppendQuality(StringBuilder html, DriftReportPublished report)
    {
        html.Append("<h2>Data quality</h2>\n<table><thead><tr><th>Feature</th><th>Missing</th><th>Outside the reference range</th><th>New categories</th><th>Not found online</th><th>Outside TTL</th></tr></thead><tbody>\n");
        foreach (var q in report.DataQuality)
        {
            var categories = q.NewCategories.Count == 0 ? "" : " (" + E(string.Join(", ", q.NewCategories)) + ")";
            html.Append(Invariant($"<tr><td>{E(q.Feature)}</td><td>{Share(q.MissingShare)}</td><td>{Share(q.OutOfRangeShare)}</td><td>{Share(q.NewCategoryShare)}{categories}</td><td>{Share(q.NotFoundShare)}</td><td>{Share(q.OutsideTtlShare)}</td></tr>\n"));
        }
        html.Append("</tbody></table>\n");
    }

    private static void AppendPerformance(StringBuilder html, WindowPerformance? performance)
    {
        html.Append("<h2>Performance</h2>\n");
        if (performance is null)
        {
            html.Append("<p>No outcome is known yet for this window's loans; the report is updated as outcomes arrive.</p>\n");
            return;
        }
        var drop = performance.PerformanceDrop ? " <span class=\"drift\">performance drop</span>" : "";
        html.Append(Invariant($"<p>{performance.Labelled} predictions labelled ({Share(performance.LabelledShare)} of the window), {performance.Defaulted} defaulted. ROC AUC {Number(performance.RocAuc)} (reference {Number(performance.ReferenceRocAuc)}){drop}, KS {Number(performance.Ks)}, expected calibration error {Number(performance.ExpectedCalibrationError)}.</p>\n"));
        html.Append("<table><thead><tr><th>Predicted</th><th>Loans</th><th>Mean predicted</th><th>Defaulted</th></tr></thead><tbody>\n");
        foreach (var bin in performance.Calibration.Where(bin => bin.Count > 0))
        {
            html.Append(Invariant($"<tr><td>[{bin.Lower:0.##}, {bin.Upper:0.##})</td><td>{bin.Count}</td><td>{bin.MeanPredicted:0.###}</td><td>{bin.ObservedRate:0.###}</td></tr>\n"));
        }
        html.Append("</tbody></table>\n");
        AppendCalibrationChart(html, performance);
    }

    // Observed default rate against mean predicted probability per bin, on the diagonal of perfect calibration.
    private static void AppendCalibrationChart(StringBuilder html, WindowPerformance performance)
    {
        const int size = CalibrationSize;
        html.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{size + 40}\" height=\"{size + 30}\" role=\"img\" aria-label=\"calibration\">"));
        html.Append(Invariant($"<rect x=\"30\" y=\"0\" width=\"{size}\" height=\"{size}\" fill=\"none\" stroke=\"#999\"/><line x1=\"30\" y1=\"{size}\" x2=\"{size + 30}\" y2=\"0\" stroke=\"#bbb\" stroke-dasharray=\"4\"/>"));
        foreach (var bin in performance.Calibration.Where(bin => bin.Count > 0))
        {
            var x = 30 + bin.MeanPredicted * size;
            var y = size - bin.ObservedRate * size;
            html.Append(Invariant($"<circle cx=\"{x:0.#}\" cy=\"{y:0.#}\" r=\"4\" fill=\"#f58518\"><title>{bin.Count} loans: predicted {bin.MeanPredicted:0.###}, defaulted {bin.ObservedRate:0.###}</title></circle>"));
        }
        html.Append(Invariant($"<text x=\"30\" y=\"{size + 15}\" font-size=\"11\">0</text><text x=\"{size + 30}\" y=\"{size + 15}\" font-size=\"11\" text-anchor=\"end\">predicted 1</text><text x=\"0\" y=\"10\" font-size=\"11\">1</text>"));
        html.Append("</svg>\n");
    }

    private static string Time(Google.Protobuf.WellKnownTypes.Timestamp? time) =>
        time is null ? "?" : time.ToDateTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static string Share(double share) => share == 0 ? "0" : share.ToString("0.##%", CultureInfo.InvariantCulture);

    private static string Number(double value) => double.IsFinite(value) ? value.ToString("0.###", CultureInfo.InvariantCulture) : "n/a";
}
