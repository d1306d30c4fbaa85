using System.Globalization;
using System.Text;
using CreditRisk.Modeling.Evaluation;

namespace CreditRisk.Modeling.Reports;

/// <summary>The report's charts as inline SVG: plain elements, no scripts, fonts or external references.</summary>
internal static class SvgCharts
{
    private const int Width = 420;
    private const int Height = 320;
    private const int Left = 52;
    private const int Right = 16;
    private const int Top = 16;
    private const int Bottom = 44;
    private const int PlotWidth = Width - Left - Right;
    private const int PlotHeight = Height - Top - Bottom;

    public const string PositiveColour = "#c0392b";
    public const string NegativeColour = "#2471a3";

    private static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static double X(double unit) => Left + unit * PlotWidth;

    private static double Y(double unit) => Top + (1 - unit) * PlotHeight;

    private static StringBuilder Open(string title)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" role=\"img\" aria-label=\"{Html.Encode(title)}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{PlotWidth}\" height=\"{PlotHeight}\" fill=\"#fbfbfb\" stroke=\"#999\"/>");
        return svg;
    }

    private static void Axes(StringBuilder svg, string xLabel, string yLabel, double yMax = 1, string yFormat = "0.0", int yTicks = 5)
    {
        for (var i = 0; i <= 5; i++)
        {
            var unit = i / 5.0;
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(X(unit))}\" y1=\"{F(Y(0))}\" x2=\"{F(X(unit))}\" y2=\"{F(Y(0) + 4)}\" stroke=\"#666\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(X(unit))}\" y=\"{F(Y(0) + 16)}\" font-size=\"11\" text-anchor=\"middle\">{unit.ToString("0.0", CultureInfo.InvariantCulture)}</text>");
        }
        for (var i = 0; i <= yTicks; i++)
        {
            var unit = (double)i / yTicks;
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(X(0) - 4)}\" y1=\"{F(Y(unit))}\" x2=\"{F(X(0))}\" y2=\"{F(Y(unit))}\" stroke=\"#666\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(X(0) - 7)}\" y=\"{F(Y(unit) + 4)}\" font-size=\"11\" text-anchor=\"end\">{(unit * yMax).ToString(yFormat, CultureInfo.InvariantCulture)}</text>");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(X(0.5))}\" y=\"{Height - 8}\" font-size=\"12\" text-anchor=\"middle\">{Html.Encode(xLabel)}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"14\" y=\"{F(Y(0.5))}\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 14 {F(Y(0.5))})\">{Html.Encode(yLabel)}</text>");
    }

    private static void Diagonal(StringBuilder svg) =>
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(X(0))}\" y1=\"{F(Y(0))}\" x2=\"{F(X(1))}\" y2=\"{F(Y(1))}\" stroke=\"#aaa\" stroke-dasharray=\"4 4\"/>");

    public static string Roc(IReadOnlyList<(double FalsePositiveRate, double TruePositiveRate)> points, double auc)
    {
        var svg = Open("ROC curve");
        Diagonal(svg);
        // A few hundred points are enough for the eye; the curve keeps its ends.
        var step = Math.Max(1, points.Count / 400);
        var kept = points.Where((_, i) => i % step == 0 || i == points.Count - 1);
        svg.Append("<polyline fill=\"none\" stroke=\"#1e8449\" stroke-width=\"2\" points=\"")
            .AppendJoin(' ', kept.Select(p => $"{F(X(p.FalsePositiveRate))},{F(Y(p.TruePositiveRate))}"))
            .Append("\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(X(0.55))}\" y=\"{F(Y(0.1))}\" font-size=\"13\">AUC {auc.ToString("0.0000", CultureInfo.InvariantCulture)}</text>");
        Axes(svg, "false positive rate", "true positive rate");
        return svg.Append("</svg>").ToString();
    }

    public static string Calibration(CalibrationCurve curve)
    {
        var svg = Open("Calibration");
        Diagonal(svg);
        var filled = curve.Bins.Where(bin => bin.Count > 0).ToList();
        svg.Append("<polyline fill=\"none\" stroke=\"#7d3c98\" stroke-width=\"2\" points=\"")
            .AppendJoin(' ', filled.Select(bin => $"{F(X(bin.MeanPredicted))},{F(Y(bin.ObservedRate))}"))
            .Append("\"/>");
        var largest = Math.Max(1, filled.Select(bin => bin.Count).DefaultIfEmpty(1).Max());
        foreach (var bin in filled)
        {
            var radius = 3 + 5 * Math.Sqrt((double)bin.Count / largest);
            svg.Append(CultureInfo.InvariantCulture,
                $"<circle cx=\"{F(X(bin.MeanPredicted))}\" cy=\"{F(Y(bin.ObservedRate))}\" r=\"{F(radius)}\" fill=\"#7d3c98\" fill-opacity=\"0.6\"><title>{bin.Count} rows: predicted {bin.MeanPredicted:0.000}, observed {bin.ObservedRate:0.000}</title></circle>");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(X(0.05))}\" y=\"{F(Y(0.92))}\" font-size=\"13\">ECE {curve.ExpectedCalibrationError.ToString("0.0000", CultureInfo.InvariantCulture)}</text>");
        Axes(svg, "mean predicted probability", "observed default rate");
        return svg.Append("</svg>").ToString();
    }

    /// <summary>Both classes' score histograms over [0, 1] on one axis, as shares of each class (so unequal classes compare).</summary>
    public static string ScoreDistribution(IReadOnlyList<double> positives, IReadOnlyList<double> negatives, int bins = 20)
    {
        var positiveShares = Shares(positives, bins);
        var negativeShares = Shares(negatives, bins);
        // A round axis: the smallest step of 0.01, 0.02, 0.05, 0.1 or 0.2 that covers the tallest bar in at most six ticks.
        var tallest = Math.Max(0.01, Math.Max(positiveShares.Max(), negativeShares.Max()));
        var step = new[] { 0.01, 0.02, 0.05, 0.1, 0.2 }.First(candidate => Math.Ceiling(tallest / candidate - 1e-9) <= 6);
        var ticks = (int)Math.Ceiling(tallest / step - 1e-9);
        var top = ticks * step;
        var svg = Open("Score distribution by class");
        var barWidth = PlotWidth / (double)bins / 2;
        for (var b = 0; b < bins; b++)
        {
            var x = X((double)b / bins);
            Bar(svg, x, barWidth, negativeShares[b] / top, NegativeColour, $"repaid: {negativeShares[b]:P1}");
            Bar(svg, x + barWidth, barWidth, positiveShares[b] / top, PositiveColour, $"defaulted: {positiveShares[b]:P1}");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(X(0.62))}\" y=\"{F(Y(0.97))}\" width=\"10\" height=\"10\" fill=\"{NegativeColour}\"/><text x=\"{F(X(0.62) + 14)}\" y=\"{F(Y(0.97) + 9)}\" font-size=\"12\">repaid ({negatives.Count})</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(X(0.62))}\" y=\"{F(Y(0.90))}\" width=\"10\" height=\"10\" fill=\"{PositiveColour}\"/><text x=\"{F(X(0.62) + 14)}\" y=\"{F(Y(0.90) + 9)}\" font-size=\"12\">defaulted ({positives.Count})</text>");
        Axes(svg, "predicted probability of default", "share of the class", top, "0.00", ticks);
        return svg.Append("</svg>").ToString();
    }

    private static void Bar(StringBuilder svg, double x, double width, double unitHeight, string colour, string title)
    {
        var height = unitHeight * PlotHeight;
        svg.Append(CultureInfo.InvariantCulture,
            $"<rect x=\"{F(x)}\" y=\"{F(Y(0) - height)}\" width=\"{F(width)}\" height=\"{F(height)}\" fill=\"{colour}\" fill-opacity=\"0.8\"><title>{Html.Encode(title)}</title></rect>");
    }

    private static double[] Shares(IReadOnlyList<double> values, int bins)
    {
        var histogram = Profiles.Histogram.EqualWidth(values, bins, 0, 1);
        return histogram.Counts.Select(count => values.Count == 0 ? 0 : (double)count / values.Count).ToArray();
    }
}
