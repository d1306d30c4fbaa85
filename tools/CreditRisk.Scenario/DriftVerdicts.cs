using System.Globalization;
using CreditRisk.Contracts.Events.V1;

namespace CreditRisk.Scenario;

/// <summary>How a drift report reads in one line: its verdict and the features that drifted most.</summary>
public static class DriftVerdicts
{
    private static readonly HashSet<string> PValueMethods = new(StringComparer.Ordinal) { "ks", "chisquare", "z" };

    /// <summary>
    /// How far past its threshold a feature is, comparable across methods: threshold / p-value for the tests that give
    /// a p-value (drifted below it), distance / threshold for the distances (drifted above it).
    /// </summary>
    public static double Strength(FeatureDrift feature)
    {
        ArgumentNullException.ThrowIfNull(feature);
        if (double.IsNaN(feature.Value))
        {
            return 0;
        }
        return PValueMethods.Contains(feature.Method)
            ? feature.Threshold / Math.Max(feature.Value, 1e-300)
            : feature.Value / Math.Max(feature.Threshold, 1e-300);
    }

    public static IReadOnlyList<FeatureDrift> MostDrifted(DriftReportPublished report, int count) =>
        [.. report.Features.Where(feature => feature.Drifted).OrderByDescending(Strength).ThenBy(feature => feature.Feature, StringComparer.Ordinal).Take(count)];

    public static string Describe(DriftReportPublished report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var drifted = MostDrifted(report, 3);
        var top = drifted.Count == 0
            ? "no feature drifted"
            : "most drifted " + string.Join(", ", drifted.Select(feature => feature.Feature + " (" + feature.Method + " " + Number(feature.Value) + ")"));
        var verdict = (report.DriftDetected ? "dataset drift" : "no dataset drift") + (report.PredictionDrift ? ", prediction drift" : "");
        var stream = report.Served ? "served" : "shadow";
        var alerts = report.Alerts.Count == 0 ? "" : "; raised RetrainRequested: " + string.Join(", ", report.Alerts.Select(Cause));
        return string.Create(CultureInfo.InvariantCulture,
            $"v{report.ModelVersion} {stream}, {report.SampleSize} predictions: {verdict} (drifted share {report.DriftShare:0.00} of {report.DriftShareThreshold:0.00}); {top}{Performance(report)}{alerts}");
    }

    /// <summary>An alert's cause without drift's note on the request it raised ("prediction drift: ... (retraining requested: ...)").</summary>
    private static string Cause(string alert) => alert.IndexOf(" (retraining requested", StringComparison.Ordinal) is var at and >= 0 ? alert[..at] : alert;

    /// <summary>
    /// The summary's line for a served window: time, verdict, the three most drifted features, ROC AUC on its
    /// outcomes, and whether it raised a retrain request (or drift's cool-down held it back).
    /// </summary>
    public static string Brief(DriftReportPublished report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var drifted = MostDrifted(report, 3);
        var verdict = report.DriftDetected ? "dataset drift" : report.PredictionDrift ? "prediction drift" : "no drift";
        var top = drifted.Count == 0 ? "" : "; most drifted " + string.Join(", ", drifted.Select(feature => feature.Feature.Replace("application:", "", StringComparison.Ordinal)));
        var alert = report.Alerts.Count == 0 ? ""
            : report.Alerts.All(alert => alert.Contains("(not raised", StringComparison.Ordinal)) ? "; retrain held back (cool-down)"
            : "; raised RetrainRequested";
        return string.Create(CultureInfo.InvariantCulture,
            $"{report.WindowEnd.ToDateTimeOffset():HH:mm:ss} v{report.ModelVersion}, {report.SampleSize} predictions: {verdict}, drifted share {report.DriftShare:0.00}{top}{Performance(report)}{alert}");
    }

    /// <summary>"; ROC AUC 0.690 on 1990 outcomes", or nothing while the window has no outcome.</summary>
    private static string Performance(DriftReportPublished report) => report.Performance is { Labelled: > 0 } labelled
        ? string.Create(CultureInfo.InvariantCulture, $"; ROC AUC {labelled.RocAuc:0.000} on {labelled.Labelled} outcomes")
        : "";

    private static string Number(double value) => Math.Abs(value) < 0.001 && value != 0
        ? value.ToString("0.0e0", CultureInfo.InvariantCulture)
        : value.ToString("0.000", CultureInfo.InvariantCulture);
}
