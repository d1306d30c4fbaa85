using CreditRisk.Training.Pipeline;
using CreditRisk.Training.Steps;
using CreditRisk.Training.Tests.Support;

namespace CreditRisk.Training.Tests;

/// <summary>Each check of the validate step failing on its own, with its name and numbers in the failure and in validation.json.</summary>
public sealed class ValidationTests
{
    private static readonly DateTimeOffset Cutoff = SyntheticTrainingSets.Start.AddYears(1);

    private static async Task<PipelineStepFailedException> FailsAsync(TrainingSet set, Dictionary<string, string>? parameters = null)
    {
        var context = Context(set, parameters);
        return await Assert.ThrowsAsync<PipelineStepFailedException>(() => context.RunAsync(new ValidateStep()));
    }

    private static InMemoryStepContext Context(TrainingSet set, Dictionary<string, string>? parameters = null)
    {
        var context = new InMemoryStepContext(InMemoryStepContext.Definition("m", Cutoff, set.FeatureService, set.FeatureServiceVersion, parameters));
        var digest = context.PutBlobAsync(set.ToBytes(), CancellationToken.None).Result;
        return context.With(TrainingStepNames.BuildTrainingSet, new StepOutput(
            new Dictionary<string, string> { ["digest"] = digest }, new Dictionary<string, string> { [BuildTrainingSetStep.TrainingSetBlob] = digest }));
    }

    [Fact]
    public async Task A_good_set_passes_every_check_and_the_report_names_each()
    {
        var context = Context(SyntheticTrainingSets.Application(300, seed: 1));

        var output = await context.RunAsync(new ValidateStep());

        Assert.Equal("6", output.Value("checks_passed"));
        var report = System.Text.Encoding.UTF8.GetString(await context.GetBlobAsync(output.Blob(ValidateStep.ReportBlob), TestContext.Current.CancellationToken));
        foreach (var check in new[] { "schema", "missing_share", "label_balance", "feature_leakage", "label_leakage", "rows_per_class" })
        {
            Assert.Contains($"\"name\": \"{check}\"", report, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("\"passed\": false", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_feature_or_a_wrong_type_fails_the_schema_check()
    {
        var set = SyntheticTrainingSets.Application(200, seed: 2);
        var withoutIncome = set with
        {
            Features = set.Features.Where(feature => feature.Name != "application:income").ToList(),
            Rows = set.Rows.Select(row => row with
            {
                Values = row.Values.Where((_, f) => set.Features[f].Name != "application:income").ToList(),
                EventTimes = row.EventTimes.Where((_, f) => set.Features[f].Name != "application:income").ToList(),
            }).ToList(),
        };
        var missing = await FailsAsync(withoutIncome);
        Assert.StartsWith("validation check schema failed", missing.Message, StringComparison.Ordinal);
        Assert.Contains("application:income missing", missing.Message, StringComparison.Ordinal);

        var retyped = set with { Features = set.Features.Select(feature => feature.Name == "application:term" ? feature with { Type = "double" } : feature).ToList() };
        var wrongType = await FailsAsync(retyped);
        Assert.Contains("application:term is double, the service declares int64", wrongType.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Too_many_missing_values_fail_the_missing_share_check_with_the_share()
    {
        var set = SyntheticTrainingSets.Application(200, seed: 3);
        var income = set.Features.ToList().FindIndex(feature => feature.Name == "application:income");
        var sparse = set with
        {
            Rows = set.Rows.Select((row, r) => r % 10 < 6 ? row with { Values = row.Values.Select((v, f) => f == income ? null : v).ToList() } : row).ToList(),
        };
        var share = (double)sparse.Rows.Count(row => row.Values[income] is null) / sparse.Rows.Count;

        var failed = await FailsAsync(sparse);

        Assert.StartsWith("validation check missing_share failed", failed.Message, StringComparison.Ordinal);
        Assert.Contains($"application:income {share.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture)}", failed.Message, StringComparison.Ordinal);
        Assert.Contains("max 0.5", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_default_rate_out_of_bounds_fails_the_label_balance_check()
    {
        var set = SyntheticTrainingSets.Application(200, seed: 4);

        var failed = await FailsAsync(set, new() { ["min_positive_share"] = "0.6" });

        Assert.StartsWith("validation check label_balance failed", failed.Message, StringComparison.Ordinal);
        Assert.Contains($"{set.Positives} defaulted of 200 rows", failed.Message, StringComparison.Ordinal);
        Assert.Contains("allowed [0.6, 0.99]", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_value_from_after_its_application_fails_the_feature_leakage_check()
    {
        var set = SyntheticTrainingSets.Application(200, seed: 5);
        var leaky = set with
        {
            Rows = set.Rows.Select((row, r) => r == 7 ? row with { EventTimes = row.EventTimes.Select((t, f) => f == 2 ? row.ApplicationTime.AddHours(1) : t).ToList() } : row).ToList(),
        };

        var failed = await FailsAsync(leaky);

        Assert.StartsWith("validation check feature_leakage failed: 1 values describe a time after their application", failed.Message, StringComparison.Ordinal);
        Assert.Contains($"{set.Rows[7].ApplicationId} {set.Features[2].Name}", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_label_known_after_the_cut_off_fails_the_label_leakage_check()
    {
        var set = SyntheticTrainingSets.Application(200, seed: 6);
        var late = set with { Rows = set.Rows.Select((row, r) => r == 3 ? row with { LabelKnownAt = Cutoff.AddDays(1) } : row).ToList() };

        var failed = await FailsAsync(late);

        Assert.StartsWith("validation check label_leakage failed: 1 labels known after the cut-off", failed.Message, StringComparison.Ordinal);
        Assert.Contains(set.Rows[3].ApplicationId, failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Too_few_rows_of_a_class_fail_the_rows_per_class_check_with_the_counts()
    {
        var set = SyntheticTrainingSets.Application(60, seed: 7);

        var failed = await FailsAsync(set, new() { ["min_rows_per_class"] = "100" });

        Assert.StartsWith("validation check rows_per_class failed", failed.Message, StringComparison.Ordinal);
        Assert.Contains($"{set.Positives} defaulted and {set.Negatives} repaid; each class needs ≥ 100", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_parameter_that_does_not_parse_fails_naming_it()
    {
        var failed = await FailsAsync(SyntheticTrainingSets.Application(60, seed: 8), new() { ["folds"] = "many" });

        Assert.Equal("parameter folds = 'many': expected an integer ≥ 2", failed.Message);
    }
}
