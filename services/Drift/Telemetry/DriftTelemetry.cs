using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CreditRisk.Drift.Service.Telemetry;

/// <summary>Drift monitoring's traces and metrics (the service defaults subscribe to "CreditRisk.*").</summary>
public static class DriftTelemetry
{
    public const string Name = "CreditRisk.Drift.Monitoring";
    public const string ModelTag = "creditrisk.model.name";
    public const string VersionTag = "creditrisk.model.version";
    public const string ServedTag = "creditrisk.prediction.served";
    public const string FeatureTag = "creditrisk.feature";
    public const string ReasonTag = "reason";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    public static readonly Counter<long> PredictionsIngested =
        Meter.CreateCounter<long>("creditrisk.drift.predictions.ingested", "{prediction}", "Predictions counted into a window stream");

    public static readonly Counter<long> PredictionsIgnored =
        Meter.CreateCounter<long>("creditrisk.drift.predictions.ignored", "{prediction}", "Predictions not counted: redelivered, malformed or not monitored, by reason");

    public static readonly Counter<long> SchemaMismatches =
        Meter.CreateCounter<long>("creditrisk.drift.predictions.schema_mismatches", "{prediction}", "Predictions left out of a window's tests: their features do not match the reference");

    public static readonly Counter<long> VersionsWithoutProfile =
        Meter.CreateCounter<long>("creditrisk.drift.versions_without_profile", "{version}", "Model versions whose predictions cannot be tested: no usable reference profile");

    public static readonly Counter<long> OutcomesRecorded =
        Meter.CreateCounter<long>("creditrisk.drift.outcomes.recorded", "{outcome}", "Loan outcomes recorded, by whether a monitored prediction was known for the application");

    public static readonly Counter<long> WindowsClosed =
        Meter.CreateCounter<long>("creditrisk.drift.windows.closed", "{window}", "Windows closed, by status (reported, no_profile)");

    public static readonly Histogram<long> WindowSize =
        Meter.CreateHistogram<long>("creditrisk.drift.window.size", "{prediction}", "Predictions per closed window");

    public static readonly Histogram<double> ProcessingLag =
        Meter.CreateHistogram<double>("creditrisk.drift.processing.lag", "s", "From a prediction being scored to its being counted into a window");

    public static readonly Histogram<double> WindowDuration =
        Meter.CreateHistogram<double>("creditrisk.drift.window.analysis.duration", "s", "Time to test a window and write its report");

    public static readonly Counter<long> Alerts =
        Meter.CreateCounter<long>("creditrisk.drift.alerts", "{alert}", "Reports that alerted, by outcome (raised, suppressed by the cool-down)");

    private static readonly ConcurrentDictionary<(string Model, int Version, bool Served, string Feature), double> FeatureDrift = new();
    private static readonly ConcurrentDictionary<(string Model, int Version, bool Served), double> DriftedShare = new();

    static DriftTelemetry()
    {
        Meter.CreateObservableGauge("creditrisk.drift.feature.value", () => FeatureDrift.Select(pair => new Measurement<double>(pair.Value,
            new KeyValuePair<string, object?>(ModelTag, pair.Key.Model), new KeyValuePair<string, object?>(VersionTag, pair.Key.Version),
            new KeyValuePair<string, object?>(ServedTag, pair.Key.Served), new KeyValuePair<string, object?>(FeatureTag, pair.Key.Feature))),
            description: "The latest window's drift value per feature (a p-value or a distance, by the feature's method)");
        Meter.CreateObservableGauge("creditrisk.drift.drifted_share", () => DriftedShare.Select(pair => new Measurement<double>(pair.Value,
            new KeyValuePair<string, object?>(ModelTag, pair.Key.Model), new KeyValuePair<string, object?>(VersionTag, pair.Key.Version),
            new KeyValuePair<string, object?>(ServedTag, pair.Key.Served))),
            description: "The latest window's share of drifted features");
    }

    public static void RecordReport(string model, int version, bool served, double driftedShare, IEnumerable<(string Feature, double Value)> features)
    {
        DriftedShare[(model, version, served)] = driftedShare;
        foreach (var (feature, value) in features)
        {
            FeatureDrift[(model, version, served, feature)] = value;
        }
    }
}
