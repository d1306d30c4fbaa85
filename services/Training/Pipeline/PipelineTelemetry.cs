using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CreditRisk.Training.Pipeline;

/// <summary>The pipeline engine's metrics and traces (exported with the platform's "CreditRisk.*" meters and sources).</summary>
public static class PipelineTelemetry
{
    public static readonly Meter Meter = new("CreditRisk.Training");

    public static readonly ActivitySource ActivitySource = new("CreditRisk.Training.Pipeline");

    public static readonly Counter<long> RunsFinished =
        Meter.CreateCounter<long>("creditrisk.training.pipeline.runs", "{run}", "Pipeline runs finished, by final status");

    public static readonly Histogram<double> StepDuration =
        Meter.CreateHistogram<double>("creditrisk.training.pipeline.step.duration", "s", "Time a step took, by step and outcome (succeeded, failed, cached)");

    public static readonly Counter<long> StepRetries =
        Meter.CreateCounter<long>("creditrisk.training.pipeline.step.retries", "{retry}", "Step executions retried after a transient failure");

    private static long _queuedRuns;

    /// <summary>Set by the workers each time they look for work.</summary>
    public static long QueuedRuns
    {
        get => Interlocked.Read(ref _queuedRuns);
        set => Interlocked.Exchange(ref _queuedRuns, value);
    }

    public static readonly ObservableGauge<long> QueuedRunsGauge =
        Meter.CreateObservableGauge("creditrisk.training.pipeline.runs.queued", () => QueuedRuns, "{run}", "Runs waiting for a replica");

    public static void RunFinished(string status, string modelName) =>
        RunsFinished.Add(1, new KeyValuePair<string, object?>("status", status), new KeyValuePair<string, object?>("model", modelName));

    public static void StepFinished(string step, string outcome, TimeSpan duration, string modelName) =>
        StepDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("step", step), new KeyValuePair<string, object?>("outcome", outcome),
            new KeyValuePair<string, object?>("model", modelName));

    public static void StepRetried(string step, string modelName) =>
        StepRetries.Add(1, new KeyValuePair<string, object?>("step", step), new KeyValuePair<string, object?>("model", modelName));
}
