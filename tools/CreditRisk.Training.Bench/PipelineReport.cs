using System.Globalization;
using CreditRisk.Training.Steps;

namespace CreditRisk.Training.Bench;

/// <summary>How the bench prints the persisted pipeline's figures: each run as it ends, then one table over the sets.</summary>
public static class PipelineReport
{
    /// <summary>The lead's measurement of the real build_training_set (the features service's historical retrieval) through the running system.</summary>
    public const string RetrievalThroughTheSystem = "0.87 s for credit_data's 4,454 rows";

    public static void Print(PipelineMeasurement run, int trials, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"== pipeline {run.Name}: model {run.ModelName}, {run.Rows} rows ({run.Positives} defaulted), {trials} trials per candidate; " +
            $"training set built from the CSV in {run.SetBuildTime.TotalSeconds:F2}s"));
        output.WriteLine($"{"step",-20} {"status",-10} {"attempts",8} {"time",9}");
        foreach (var step in run.Steps)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{step.Name,-20} {step.Status,-10} {step.Attempts,8} {step.Duration.TotalSeconds,8:F2}s{(step.Error is null ? "" : "  " + step.Error)}"));
        }
        var failure = run.FailureReason is null ? "" : ": " + run.FailureReason;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"steps {run.StepTotal.TotalSeconds:F1}s; run (claimed → finished) {Seconds(run.RunTime)}s; wall (start request → finish seen) {run.WallTime.TotalSeconds:F1}s; status {run.Status}{failure}"));
        if (run.Succeeded)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"winner {run.Results.GetValueOrDefault("winner")}: cv_roc_auc {Auc(run, "cv_roc_auc")} on {run.Results.GetValueOrDefault("training_rows")} rows, " +
                $"oot_roc_auc {Auc(run, "oot_roc_auc")} on the {run.Results.GetValueOrDefault("oot_rows")} latest; " +
                $"registered version {run.Results.GetValueOrDefault("model_version")}, {run.Results.GetValueOrDefault("decision")}"));
        }
        output.WriteLine($"build_training_set here stores the bench's set; the real step's historical retrieval is not run by the bench " +
            $"(through the running system: {RetrievalThroughTheSystem})");
    }

    /// <summary>Per step, one column per set: the table the README keeps.</summary>
    public static void PrintSummary(IReadOnlyList<PipelineMeasurement> runs, TextWriter output)
    {
        if (runs.Count == 0)
        {
            return;
        }
        output.WriteLine();
        output.WriteLine("pipeline wall time per step (s)");
        output.WriteLine($"{"step",-20} " + string.Join(' ', runs.Select(run => $"{run.Name,18}")));
        foreach (var name in TrainingStepNames.InOrder)
        {
            output.WriteLine($"{name,-20} " + string.Join(' ', runs.Select(run =>
                run.Steps.FirstOrDefault(step => step.Name == name) is { } step
                    ? step.Duration.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture).PadLeft(18)
                    : "-".PadLeft(18))));
        }
        output.WriteLine($"{"sum of steps",-20} " + string.Join(' ', runs.Select(run => run.StepTotal.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture).PadLeft(18))));
        output.WriteLine($"{"run",-20} " + string.Join(' ', runs.Select(run => Seconds(run.RunTime).PadLeft(18))));
        output.WriteLine($"{"wall",-20} " + string.Join(' ', runs.Select(run => run.WallTime.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture).PadLeft(18))));
        output.WriteLine($"{"cv_roc_auc",-20} " + string.Join(' ', runs.Select(run => Auc(run, "cv_roc_auc").PadLeft(18))));
        output.WriteLine($"{"oot_roc_auc",-20} " + string.Join(' ', runs.Select(run => Auc(run, "oot_roc_auc").PadLeft(18))));
    }

    private static string Auc(PipelineMeasurement run, string key) =>
        run.Results.TryGetValue(key, out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value.ToString("F4", CultureInfo.InvariantCulture)
            : "-";

    private static string Seconds(TimeSpan? time) => time is { } known ? known.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture) : "-";
}
