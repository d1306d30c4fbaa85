using System.Globalization;
using System.Text.Json;
using CreditRisk.FeatureStore;
using CreditRisk.Training.Pipeline;

namespace CreditRisk.Training.Steps;

/// <summary>
/// validate: checks the training set before anything is trained on it, each check with its numbers in validation.json
/// (a blob): <c>schema</c> (every feature of the service, with its type), <c>missing_share</c> (each feature's share of
/// missing values ≤ max_missing_share), <c>label_balance</c> (the default rate within [min_positive_share,
/// max_positive_share]), <c>feature_leakage</c> (no value's event time after its application's time),
/// <c>label_leakage</c> (no label known after the cut-off) and <c>rows_per_class</c> (each class ≥ folds and ≥
/// min_rows_per_class). The first failing check fails the step, its message naming the check and its numbers.
/// </summary>
public sealed class ValidateStep : IPipelineStep
{
    public const string ReportBlob = "validation.json";

    public string Name => TrainingStepNames.Validate;

    public string CodeVersion => "1";

    public IReadOnlyList<string> Consumes => [TrainingStepNames.BuildTrainingSet];

    public bool Cacheable => true;

    public async Task<StepOutput> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var parameters = StepParameters.Of(context.Run);
        var set = TrainingSet.FromBytes(await context.GetBlobAsync(
            context.OutputOf(TrainingStepNames.BuildTrainingSet).Blob(BuildTrainingSetStep.TrainingSetBlob), cancellationToken));
        var checks = Check(set, parameters, context.Run.Cutoff);
        var report = JsonSerializer.SerializeToUtf8Bytes(new
        {
            training_set = context.OutputOf(TrainingStepNames.BuildTrainingSet).Value("digest"),
            rows = set.Rows.Count,
            checks = checks.Select(check => new { name = check.Name, passed = check.Passed, detail = check.Detail }),
        }, new JsonSerializerOptions { WriteIndented = true });
        var digest = await context.PutBlobAsync(report, cancellationToken);
        foreach (var check in checks)
        {
            context.Log($"{check.Name}: {(check.Passed ? "passed" : "FAILED")} ({check.Detail})");
        }
        if (checks.FirstOrDefault(check => !check.Passed) is { } failed)
        {
            throw new PipelineStepFailedException($"validation check {failed.Name} failed: {failed.Detail}");
        }
        return new StepOutput(
            new Dictionary<string, string>
            {
                ["checks_passed"] = checks.Count.ToString(CultureInfo.InvariantCulture),
                ["validation_report"] = digest,
            },
            new Dictionary<string, string> { [ReportBlob] = digest });
    }

    /// <summary>Every check, in order, passed or not.</summary>
    public static IReadOnlyList<ValidationCheck> Check(TrainingSet set, StepParameters parameters, DateTimeOffset cutoff)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(parameters);
        var checks = new List<ValidationCheck> { Schema(set) };

        var missing = set.Features.Select((feature, f) => (feature.Name, Share: set.Rows.Count == 0 ? 0 : (double)set.Rows.Count(row => row.Values[f] is null) / set.Rows.Count)).ToList();
        var worst = missing.OrderByDescending(pair => pair.Share).ThenBy(pair => pair.Name, StringComparer.Ordinal).FirstOrDefault();
        var over = missing.Where(pair => pair.Share > parameters.MaxMissingShare).Select(pair => Invariant($"{pair.Name} {pair.Share:0.####}")).ToList();
        checks.Add(new ValidationCheck("missing_share", over.Count == 0, over.Count == 0
            ? Invariant($"the largest missing share is {worst.Share:0.####} ({worst.Name}), max {parameters.MaxMissingShare}")
            : Invariant($"{string.Join(", ", over)} missing, max {parameters.MaxMissingShare}")));

        var positiveShare = set.Rows.Count == 0 ? 0 : (double)set.Positives / set.Rows.Count;
        checks.Add(new ValidationCheck("label_balance",
            positiveShare >= parameters.MinPositiveShare && positiveShare <= parameters.MaxPositiveShare,
            Invariant($"{set.Positives} defaulted of {set.Rows.Count} rows = {positiveShare:0.####}, allowed [{parameters.MinPositiveShare}, {parameters.MaxPositiveShare}]")));

        var leaks = new List<string>();
        foreach (var row in set.Rows)
        {
            for (var f = 0; f < set.Features.Count; f++)
            {
                if (row.EventTimes[f] is { } time && time > row.ApplicationTime)
                {
                    leaks.Add(Invariant($"{row.ApplicationId} {set.Features[f].Name} at {time:O} after {row.ApplicationTime:O}"));
                }
            }
        }
        checks.Add(new ValidationCheck("feature_leakage", leaks.Count == 0, leaks.Count == 0
            ? Invariant($"no feature event time after its application's time ({set.Rows.Count} rows × {set.Features.Count} features)")
            : Invariant($"{leaks.Count} values describe a time after their application, e.g. {string.Join("; ", leaks.Take(3))}")));

        var lateLabels = set.Rows.Where(row => row.LabelKnownAt > cutoff).ToList();
        checks.Add(new ValidationCheck("label_leakage", lateLabels.Count == 0, lateLabels.Count == 0
            ? Invariant($"every label known by the cut-off {cutoff:O}")
            : Invariant($"{lateLabels.Count} labels known after the cut-off {cutoff:O}, e.g. {lateLabels[0].ApplicationId} at {lateLabels[0].LabelKnownAt:O}")));

        var needed = Math.Max(parameters.Folds, parameters.MinRowsPerClass);
        var smaller = Math.Min(set.Positives, set.Negatives);
        checks.Add(new ValidationCheck("rows_per_class", smaller >= needed,
            Invariant($"{set.Positives} defaulted and {set.Negatives} repaid; each class needs ≥ {needed} (folds {parameters.Folds}, min_rows_per_class {parameters.MinRowsPerClass})")));
        return checks;
    }

    private static ValidationCheck Schema(TrainingSet set)
    {
        if (!FeatureRegistry.TryGetService(set.FeatureService, set.FeatureServiceVersion, out var service))
        {
            return new ValidationCheck("schema", false, $"feature service {set.FeatureService}@{set.FeatureServiceVersion} is not in the registry");
        }
        var expected = FeatureRegistry.Resolve(CreditRisk.FeatureStore.FeatureSelection.Service(service.Name, service.Version))
            .Select(feature => (feature.Name, Type: feature.Definition.ValueType.ToString().ToLowerInvariant())).ToList();
        var present = set.Features.ToDictionary(feature => feature.Name, feature => feature.Type, StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var (name, type) in expected)
        {
            if (!present.TryGetValue(name, out var actual))
            {
                problems.Add($"{name} missing");
            }
            else if (actual != type)
            {
                problems.Add($"{name} is {actual}, the service declares {type}");
            }
        }
        problems.AddRange(set.Features.Where(feature => expected.All(e => e.Name != feature.Name)).Select(feature => $"{feature.Name} is not in the service"));
        // A value of another type than its column declares is a schema problem too.
        for (var f = 0; f < set.Features.Count && problems.Count < 10; f++)
        {
            var type = set.Features[f].Type;
            var bad = set.Rows.FirstOrDefault(row => row.Values[f] is { } value && !Matches(value, type));
            if (bad is not null)
            {
                problems.Add($"{set.Features[f].Name} holds {bad.Values[f]} ({bad.Values[f]!.GetType().Name}) in {bad.ApplicationId}, declared {type}");
            }
        }
        return new ValidationCheck("schema", problems.Count == 0, problems.Count == 0
            ? Invariant($"{expected.Count} features of {service.QualifiedName}, types as declared")
            : string.Join("; ", problems));
    }

    private static bool Matches(object value, string type) => (value, type) switch
    {
        (double, "double") or (long, "int64") or (string, "string") or (bool, "bool") => true,
        _ => false,
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
