using System.Globalization;
using System.Net;
using System.Text;
using CreditRisk.Drift.Binning;
using CreditRisk.Drift.Methods;

namespace CreditRisk.Drift.Service.Reports;

/// <summary>
/// A self-contained HTML report (no scripts, fonts or external assets): the verdict, then per column its method, value,
/// threshold and decision beside an inline SVG of reference and current shares per bin or category.
/// </summary>
public static class HtmlReport
{
    private const int ChartWidth = 440;
    private const int ChartHeight = 160;
    private const int MaxCategoriesDrawn = 40;
    private const int MaxCategoriesNamed = 16;

    public static string Render(DatasetDriftResult result, string referenceName, string currentName)
    {
        var html = new StringBuilder();
        AppendHead(html, "Data drift report");
        html.Append("<h1>Data drift report</h1>\n");
        html.Append(Invariant($"<p>Reference: <code>{E(referenceName)}</code> &nbsp; Current: <code>{E(currentName)}</code></p>\n"));
        var verdict = result.DatasetDrift ? "<span class=\"drift\">Dataset drift detected</span>" : "<span class=\"ok\">No dataset drift</span>";
        html.Append(Invariant($"<h2>{verdict}</h2>\n<p>{result.DriftedCount} of {result.Columns.Count} columns drifted (share {result.DriftShare:0.###}; the dataset drifts at a share of {result.DriftShareThreshold:0.###} or more).</p>\n"));
        AppendColumns(html, result.Columns);
        html.Append("</body></html>\n");
        return html.ToString();
    }

    /// <summary>The document's start up to the opening body tag, with the reports' shared styles.</summary>
    internal static void AppendHead(StringBuilder html, string title)
    {
        html.Append(Invariant($"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{E(title)}</title><style>"))
            .Append("body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse}td,th{padding:4px 10px;border-bottom:1px solid #ddd;vertical-align:middle;text-align:left}")
            .Append(".drift{color:#b00020;font-weight:bold}.ok{color:#1b5e20}.warn{color:#a15c00}.legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px}")
            .Append("</style></head><body>\n");
    }

    /// <summary>The legend and a row per column: method, value, threshold, decision, missing counts and the chart.</summary>
    internal static void AppendColumns(StringBuilder html, IEnumerable<ColumnDriftResult> columns)
    {
        html.Append("<p class=\"legend\"><span style=\"background:#4c78a8\"></span>reference<span style=\"background:#f58518\"></span>current</p>\n");
        html.Append("<table><thead><tr><th>Column</th><th>Type</th><th>Method</th><th>Value</th><th>Threshold</th><th>Drift</th><th>Missing (ref / cur)</th><th>Distribution</th></tr></thead><tbody>\n");
        foreach (var c in columns)
        {
            var value = c.Tested ? c.Value.ToString("G6", CultureInfo.InvariantCulture) : "not tested";
            var drift = c.Drifted ? "<span class=\"drift\">drifted</span>" : "<span class=\"ok\">no</span>";
            html.Append(Invariant($"<tr><td>{E(c.Column)}</td><td>{c.Kind.ToString().ToLowerInvariant()}</td><td>{c.Method.Name()}</td><td>{value}</td><td>{c.Threshold:G4}</td><td>{drift}</td><td>{c.ReferenceMissing} / {c.CurrentMissing}</td><td>"));
            Chart(html, c.Column, c.Histogram);
            html.Append("</td></tr>\n");
        }
        html.Append("</tbody></table>\n");
    }

    // Paired bars per bin, scaled to the largest share on either side.
    private static void Chart(StringBuilder html, string column, ColumnHistogram histogram)
    {
        html.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{ChartWidth}\" height=\"{ChartHeight + 20}\" role=\"img\" aria-label=\"{E(column)}: reference and current shares\">"));
        var bins = Math.Min(histogram.BinCount, MaxCategoriesDrawn);
        var max = 0.0;
        for (var i = 0; i < bins; i++) max = Math.Max(max, Math.Max(histogram.ReferenceShares[i], histogram.CurrentShares[i]));
        if (bins > 0 && max > 0)
        {
            var slot = (double)ChartWidth / bins;
            var bar = Math.Max(1.0, slot * 0.4);
            for (var i = 0; i < bins; i++)
            {
                var x = i * slot + slot * 0.1;
                var label = histogram.Labels is { } labels ? labels[i]
                    : histogram.Edges is { } edges ? Invariant($"[{edges[i]:G4}, {edges[i + 1]:G4}{(i == bins - 1 ? "]" : ")")}") : "";
                AppendBar(html, x, bar, histogram.ReferenceShares[i] / max, "#4c78a8", $"{label} reference {histogram.ReferenceShares[i]:P2}");
                AppendBar(html, x + bar, bar, histogram.CurrentShares[i] / max, "#f58518", $"{label} current {histogram.CurrentShares[i]:P2}");
            }
            if (histogram.Edges is { } e)
            {
                html.Append(Invariant($"<text x=\"0\" y=\"{ChartHeight + 15}\" font-size=\"11\">{e[0]:G4}</text>"));
                html.Append(Invariant($"<text x=\"{ChartWidth}\" y=\"{ChartHeight + 15}\" font-size=\"11\" text-anchor=\"end\">{e[^1]:G4}</text>"));
            }
            else if (histogram.Labels is { } names && bins <= MaxCategoriesNamed)
            {
                // A category's name under its bars, cut to the slot's width (its full name is in the bars' titles).
                var characters = Math.Max(3, (int)(slot / 6.5));
                for (var i = 0; i < bins; i++)
                {
                    var name = names[i].Length > characters ? names[i][..(characters - 1)] + "…" : names[i];
                    html.Append(Invariant($"<text x=\"{i * slot + slot / 2:0.##}\" y=\"{ChartHeight + 15}\" font-size=\"11\" text-anchor=\"middle\">{E(name)}</text>"));
                }
            }
            if (histogram.Edges is null && histogram.BinCount > bins)
            {
                html.Append(Invariant($"<text x=\"{ChartWidth}\" y=\"{ChartHeight + 15}\" font-size=\"11\" text-anchor=\"end\">first {bins} of {histogram.BinCount} categories</text>"));
            }
        }
        html.Append("</svg>");
    }

    private static void AppendBar(StringBuilder html, double x, double width, double fraction, string colour, string title)
    {
        var height = fraction * ChartHeight;
        html.Append(Invariant($"<rect x=\"{x:0.##}\" y=\"{ChartHeight - height:0.##}\" width=\"{width:0.##}\" height=\"{height:0.##}\" fill=\"{colour}\"><title>{E(title)}</title></rect>"));
    }

    internal static string E(string text) => WebUtility.HtmlEncode(text);

    internal static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
