namespace CreditRisk.Drift.Service.Monitoring;

/// <summary>Configuration section "Drift" (environment: Drift__WindowSize, Drift__Alerts__Cooldown, ...).</summary>
public sealed class DriftMonitorOptions
{
    public const string SectionName = "Drift";

    /// <summary>The consumer group of its subscriptions: replicas of one deployment share it.</summary>
    public string ConsumerGroup { get; set; } = "drift";

    /// <summary>The models monitored; empty: every model in the prediction log.</summary>
    public List<string> Models { get; set; } = [];

    /// <summary>Predictions per window. Evidently's thresholds flag heavy-tailed columns in small windows, hence 2,000.</summary>
    public int WindowSize { get; set; } = 2_000;

    /// <summary>Sliding windows: a window of <see cref="WindowSize"/> closes every this many predictions; null = tumbling.</summary>
    public int? WindowSlide { get; set; }

    /// <summary>Also close a window once its first prediction is this old, if it holds at least <see cref="MinWindowSize"/>.</summary>
    public TimeSpan? WindowDuration { get; set; }

    public int MinWindowSize { get; set; } = 200;

    /// <summary>The dataset drifts when at least this share of its features do (Evidently's 0.5).</summary>
    public double DriftShareThreshold { get; set; } = DriftOptions.DefaultDriftShareThreshold;

    /// <summary>Per-feature method and threshold, by feature name; "default_probability" is the prediction.</summary>
    public Dictionary<string, FeatureTestOptions> Features { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Monitor shadow arms' predictions too (in streams of their own).</summary>
    public bool MonitorShadow { get; set; } = true;

    /// <summary>How often windows due by time and performance made stale by late outcomes are looked at.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(1);

    public int CalibrationBins { get; set; } = 10;

    public AlertOptions Alerts { get; set; } = new();

    /// <summary>The service's public HTTP address, for the links it logs and publishes (empty: paths only).</summary>
    public string PublicBaseUrl { get; set; } = "";
}

/// <summary>A feature's method ("ks", "wasserstein", ...) and threshold, each optional.</summary>
public sealed class FeatureTestOptions
{
    public string? Method { get; set; }

    public double? Threshold { get; set; }
}

/// <summary>When a report raises RetrainRequested.</summary>
public sealed class AlertOptions
{
    public bool OnDatasetDrift { get; set; } = true;

    public bool OnPredictionDrift { get; set; } = true;

    /// <summary>A drop of the window's ROC AUC below the reference's by at least this much; null: never.</summary>
    public double? PerformanceDrop { get; set; } = 0.05;

    /// <summary>Labelled predictions a window needs before its performance can alert.</summary>
    public int MinLabelled { get; set; } = 200;

    /// <summary>After a request for a model, further alerts of that model within this time are recorded, not raised.</summary>
    public TimeSpan Cooldown { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Only served predictions' reports alert (a shadow arm is not what callers get).</summary>
    public bool ServedOnly { get; set; } = true;
}
