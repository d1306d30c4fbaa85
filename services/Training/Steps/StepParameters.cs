using System.Globalization;
using CreditRisk.Training.Pipeline;

namespace CreditRisk.Training.Steps;

/// <summary>
/// The steps' parameters, read from <see cref="PipelineRunDefinition.Parameters"/> with their defaults (invariant
/// culture). A value that does not parse fails the step permanently, naming the parameter.
/// </summary>
public sealed record StepParameters(
    int Seed,
    int Folds,
    int Trials,
    double OutOfTimeFraction,
    int MinRowsPerClass,
    double MaxMissingShare,
    double MinPositiveShare,
    double MaxPositiveShare,
    double PromotionMargin,
    double CalibrationGuard,
    double KsGuard,
    double? DecisionThreshold,
    IReadOnlyList<string> Segments)
{
    public const int DefaultSeed = 42;
    public const int DefaultFolds = 5;
    public const int DefaultTrials = 8;
    public const double DefaultOutOfTimeFraction = 0.2;
    public const int DefaultMinRowsPerClass = 20;
    public const double DefaultMaxMissingShare = 0.5;
    public const double DefaultMinPositiveShare = 0.01;
    public const double DefaultMaxPositiveShare = 0.99;
    public const double DefaultPromotionMargin = 0.002;
    public const double DefaultCalibrationGuard = 0.02;
    public const double DefaultKsGuard = 0.02;
    public const string DefaultSegments = "application:job,application:home";

    public static StepParameters Of(PipelineRunDefinition run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var threshold = run.Parameter("decision_threshold", "ks");
        return new StepParameters(
            Integer(run, "seed", DefaultSeed, int.MinValue),
            Integer(run, "folds", DefaultFolds, 2),
            Integer(run, "trials", DefaultTrials, 1),
            Number(run, "oot_fraction", DefaultOutOfTimeFraction, 0, 1),
            Integer(run, "min_rows_per_class", DefaultMinRowsPerClass, 1),
            Number(run, "max_missing_share", DefaultMaxMissingShare, 0, 1),
            Number(run, "min_positive_share", DefaultMinPositiveShare, 0, 1),
            Number(run, "max_positive_share", DefaultMaxPositiveShare, 0, 1),
            Number(run, "promotion_margin", DefaultPromotionMargin, -1, 1),
            Number(run, "calibration_guard", DefaultCalibrationGuard, 0, 1),
            Number(run, "ks_guard", DefaultKsGuard, 0, 1),
            threshold == "ks" ? null : Number(run, "decision_threshold", 0.5, 0, 1),
            run.Parameter("segments", DefaultSegments).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    private static int Integer(PipelineRunDefinition run, string name, int defaultValue, int min)
    {
        var text = run.Parameter(name, defaultValue.ToString(CultureInfo.InvariantCulture));
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min
            ? value
            : throw new PipelineStepFailedException($"parameter {name} = '{text}': expected an integer ≥ {min}");
    }

    private static double Number(PipelineRunDefinition run, string name, double defaultValue, double min, double max)
    {
        var text = run.Parameter(name, defaultValue.ToString("R", CultureInfo.InvariantCulture));
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new PipelineStepFailedException($"parameter {name} = '{text}': expected a number in [{min}, {max}]");
    }
}
