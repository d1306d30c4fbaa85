using System.Globalization;
using System.Text;
using CreditRisk.Drift.Service.Api;
using CreditRisk.Drift.Service.Monitoring;
using static CreditRisk.Drift.Service.Reports.HtmlReport;

namespace CreditRisk.Drift.Service.Reports;

/// <summary>The index pages: every monitored model, and one model's windows over time with their drifted share drawn.</summary>
public static class ReportIndexHtml
{
    private const int ChartWidth = 600;
    private const int ChartHeight = 120;

    public static string ModelPathOf(string model) => $"/drift/models/{Uri.EscapeDataString(model)}";

    public static string RenderModels(IReadOnlyList<(string Model, ReportSummary Summary)> windows)
    {
        var html = new StringBuilder();
        AppendHead(html, "Drift monitoring");
        html.Append("<h1>Drift monitoring</h1>\n");
        if (windows.Count == 0)
        {
            html.Append("<p>No window has closed yet.</p>\n</body></html>\n");
            return html.ToString();
        }
        html.Append("<table><thead><tr><th>Model</th><th>Windows</th><th>Latest</th><th>Latest verdict</th></tr></thead><tbody>\n");
        foreach (var model in windows.GroupBy(w => w.Model, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var latest = model.First().Summary;
            html.Append(Invariant($"<tr><td><a href=\"{E(ModelPathOf(model.Key))}\">{E(model.Key)}</a></td><td>{model.Count()}</td><td>{Link(latest)}</td><td>{Verdict(latest)}</td></tr>\n"));
        }
        html.Append("</tbody></table>\n</body></html>\n");
        return html.ToString();
    }

    public static string RenderModel(string model, IReadOnlyList<ReportSummary> windows)
    {
        var html = new StringBuilder();
        AppendHead(html, $"Drift of {model}");
        html.Append(Invariant($"<p><a href=\"/drift/\">All models</a></p>\n<h1>Drift of {E(model)}</h1>\n"));
        if (windows.Count == 0)
        {
            html.Append("<p>No window of this model has closed yet.</p>\n</body></html>\n");
            return html.ToString();
        }
        AppendShareChart(html, windows.Where(w => w.Status == "reported" && w.Served).Reverse().ToList());
        html.Append("<table><thead><tr><th>Report</th><th>Version</th><th>Predictions</th><th>Window</th><th>Verdict</th><th>Drifted share</th><th>Prediction</th><th>Labelled</th><th>Retraining</th></tr></thead><tbody>\n");
        foreach (var w in windows)
        {
            html.Append(Invariant($"<tr><td>{Link(w)}</td><td>{w.ModelVersion}{(w.Served ? "" : " (shadow)")}</td><td>{w.Predictions}</td><td>{w.WindowStart:yyyy-MM-dd HH:mm:ss} to {w.WindowEnd:HH:mm:ss}</td><td>{Verdict(w)}</td><td>{w.DriftShare:0.###}</td><td>{(w.PredictionDrift ? "<span class=\"drift\">drifted</span>" : "stable")}</td><td>{w.Labelled}</td><td>{(w.Alerted ? "<span class=\"warn\">requested</span>" : "")}</td></tr>\n"));
        }
        html.Append("</tbody></table>\n</body></html>\n");
        return html.ToString();
    }

    // The served windows' drifted share in time order, with the dataset-drift threshold's usual 0.5 marked.
    private static void AppendShareChart(StringBuilder html, IReadOnlyList<ReportSummary> windows)
    {
        if (windows.Count == 0) return;
        html.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{ChartWidth}\" height=\"{ChartHeight + 20}\" role=\"img\" aria-label=\"drifted share over time\">"));
        html.Append(Invariant($"<line x1=\"0\" y1=\"{ChartHeight / 2}\" x2=\"{ChartWidth}\" y2=\"{ChartHeight / 2}\" stroke=\"#bbb\" stroke-dasharray=\"4\"/>"));
        var step = windows.Count == 1 ? 0 : (double)(ChartWidth - 20) / (windows.Count - 1);
        var points = string.Join(" ", windows.Select((w, i) => Invariant($"{10 + i * step:0.#},{ChartHeight - w.DriftShare * ChartHeight:0.#}")));
        html.Append(Invariant($"<polyline points=\"{points}\" fill=\"none\" stroke=\"#4c78a8\" stroke-width=\"2\"/>"));
        for (var i = 0; i < windows.Count; i++)
        {
            var w = windows[i];
            html.Append(Invariant($"<circle cx=\"{10 + i * step:0.#}\" cy=\"{ChartHeight - w.DriftShare * ChartHeight:0.#}\" r=\"4\" fill=\"{(w.DatasetDrift ? "#b00020" : "#4c78a8")}\"><title>{E(w.ReportId)}: share {w.DriftShare:0.###}</title></circle>"));
        }
        html.Append(Invariant($"<text x=\"0\" y=\"{ChartHeight + 15}\" font-size=\"11\">drifted share per served window (dashed: 0.5)</text></svg>\n"));
    }

    private static string Link(ReportSummary w) => w.Status == "reported"
        ? Invariant($"<a href=\"{E(DriftReports.HtmlPathOf(w.ReportId))}\">{E(w.ReportId)}</a>")
        : E(w.ReportId);

    private static string Verdict(ReportSummary w) => w.Status != "reported"
        ? Invariant($"<span class=\"warn\">not tested ({E(w.Status.Replace('_', ' '))})</span>")
        : w.DatasetDrift ? "<span class=\"drift\">dataset drift</span>" : "<span class=\"ok\">no drift</span>";
}
