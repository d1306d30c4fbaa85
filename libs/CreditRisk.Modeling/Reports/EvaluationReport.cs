using System.Globalization;
using System.Text;
using CreditRisk.Modeling.Evaluation;

namespace CreditRisk.Modeling.Reports;

/// <summary>
/// The evaluation of a trained model as one self-contained HTML page: inline CSS and SVG only (no scripts, fonts,
/// images or links to fetch), so it reads the same offline, attached to a registry run, years later.
/// </summary>
public static class EvaluationReport
{
    public static string Render(EvaluationReportContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var e = content.Evaluation;
        var html = new StringBuilder();
        var title = $"{content.ModelName}{(content.ModelVersion is { } v ? $" v{v}" : "")}: evaluation";
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(Html.Encode(title)).Append("</title><style>")
            .Append("body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}")
            .Append("h1{font-size:22px;margin:0 0 12px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}")
            .Append("table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}")
            .Append("th{background:#f2f2f2}td.l,th.l{text-align:left}.grid{display:flex;flex-wrap:wrap;gap:24px}.grid figure{margin:0}")
            .Append("figcaption{font-size:13px;font-weight:600;margin-bottom:4px}.win{background:#eaf5ea}")
            .Append("</style></head><body>");
        html.Append("<h1>").Append(Html.Encode(title)).Append("</h1>");

        html.Append("<table>");
        Row(html, "Model", content.ModelName + (content.ModelVersion is { } version ? $" version {version}" : " (version not registered yet)"));
        Row(html, "Trainer", content.Trainer);
        Row(html, "Feature service", content.FeatureService is null ? "none" : $"{content.FeatureService} version {content.FeatureServiceVersion}");
        Row(html, "Training set digest", content.DatasetDigest);
        Row(html, "Cut-off", content.Cutoff?.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) ?? "none");
        Row(html, "Rows", string.Create(CultureInfo.InvariantCulture,
            $"{content.TrainingRows:N0} trained on (cross-validated); {content.EvaluationRows:N0} held out, latest by application time ({e.Positives:N0} defaulted)"));
        foreach (var (name, value) in content.Notes ?? [])
        {
            Row(html, name, value);
        }
        html.Append("</table>");

        html.Append("<h2>Metrics on the out-of-time slice</h2><table><tr><th class=\"l\">Metric</th><th>Value</th></tr>");
        Metric(html, "ROC AUC", e.Metrics.RocAuc);
        Metric(html, "Gini", e.Metrics.Gini);
        Metric(html, "KS", e.Metrics.Ks);
        Metric(html, "Log loss", e.Metrics.LogLoss);
        Metric(html, "Brier score", e.Metrics.Brier);
        Metric(html, "Expected calibration error (10 equal-width bins)", e.Calibration.ExpectedCalibrationError);
        html.Append("</table>");

        html.Append("<h2>Curves</h2><div class=\"grid\">");
        Figure(html, "ROC curve", SvgCharts.Roc(e.Roc, e.Metrics.RocAuc));
        Figure(html, "Calibration (predicted vs observed default rate)", SvgCharts.Calibration(e.Calibration));
        Figure(html, "Score distribution by class", SvgCharts.ScoreDistribution(e.PositiveScores, e.NegativeScores));
        html.Append("</div>");

        var c = e.Confusion;
        html.Append("<h2>Confusion matrix</h2><p>").Append(string.Create(CultureInfo.InvariantCulture,
            $"Predicted default when the probability is at least {c.Threshold:0.0000} (the threshold maximising KS unless a policy threshold was set)."))
            .Append("</p><table><tr><th></th><th>predicted default</th><th>predicted repaid</th></tr>");
        html.Append(CultureInfo.InvariantCulture, $"<tr><th class=\"l\">defaulted</th><td>{c.TruePositives:N0}</td><td>{c.FalseNegatives:N0}</td></tr>");
        html.Append(CultureInfo.InvariantCulture, $"<tr><th class=\"l\">repaid</th><td>{c.FalsePositives:N0}</td><td>{c.TrueNegatives:N0}</td></tr></table>");
        html.Append("<p>").Append(string.Create(CultureInfo.InvariantCulture,
            $"Accuracy {c.Accuracy:0.000} · precision {c.Precision:0.000} · recall {c.Recall:0.000} · specificity {c.Specificity:0.000}")).Append("</p>");

        html.Append("<h2>Calibration bins</h2><table><tr><th>Scores</th><th>Rows</th><th>Mean predicted</th><th>Observed rate</th></tr>");
        foreach (var bin in e.Calibration.Bins)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{bin.Lower:0.0}–{bin.Upper:0.0}</td><td>{bin.Count:N0}</td><td>{(bin.Count == 0 ? "" : bin.MeanPredicted.ToString("0.000", CultureInfo.InvariantCulture))}</td><td>{(bin.Count == 0 ? "" : bin.ObservedRate.ToString("0.000", CultureInfo.InvariantCulture))}</td></tr>");
        }
        html.Append("</table>");

        html.Append("<h2>ROC AUC by segment</h2>");
        if (e.Segments.Count == 0)
        {
            html.Append("<p>No segment features.</p>");
        }
        else
        {
            html.Append("<table><tr><th class=\"l\">Feature</th><th class=\"l\">Segment</th><th>Rows</th><th>Defaulted</th><th>ROC AUC</th></tr>");
            foreach (var segment in e.Segments)
            {
                html.Append(CultureInfo.InvariantCulture,
                    $"<tr><td class=\"l\">{Html.Encode(segment.Feature)}</td><td class=\"l\">{Html.Encode(segment.Segment)}</td><td>{segment.Count:N0}</td><td>{segment.Positives:N0}</td><td>{(segment.RocAuc is { } auc ? auc.ToString("0.0000", CultureInfo.InvariantCulture) : "one class")}</td></tr>");
            }
            html.Append("</table>");
        }

        html.Append("<h2>Candidates (stratified k-fold cross-validation on the training rows)</h2>")
            .Append("<table><tr><th class=\"l\">Candidate</th><th>CV ROC AUC</th><th>± std over folds</th><th>Trials</th><th class=\"l\">Best hyperparameters</th></tr>");
        foreach (var candidate in content.Candidates)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<tr{(candidate.Winner ? " class=\"win\"" : "")}><td class=\"l\">{Html.Encode(candidate.Name)}{(candidate.Winner ? " (winner)" : "")}</td><td>{candidate.CvRocAuc:0.0000}</td><td>{candidate.CvRocAucStandardDeviation:0.0000}</td><td>{candidate.Trials}</td><td class=\"l\">{Html.Encode(candidate.Hyperparameters)}</td></tr>");
        }
        html.Append("</table></body></html>");
        return html.ToString();
    }

    private static void Row(StringBuilder html, string name, string value) =>
        html.Append("<tr><th class=\"l\">").Append(Html.Encode(name)).Append("</th><td class=\"l\">").Append(Html.Encode(value)).Append("</td></tr>");

    private static void Metric(StringBuilder html, string name, double value) =>
        html.Append("<tr><td class=\"l\">").Append(Html.Encode(name)).Append("</td><td>")
            .Append(value.ToString("0.0000", CultureInfo.InvariantCulture)).Append("</td></tr>");

    private static void Figure(StringBuilder html, string caption, string svg) =>
        html.Append("<figure><figcaption>").Append(Html.Encode(caption)).Append("</figcaption>").Append(svg).Append("</figure>");
}
