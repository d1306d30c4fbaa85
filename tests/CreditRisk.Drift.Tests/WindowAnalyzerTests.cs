using CreditRisk.Contracts.Common.V1;
using CreditRisk.Drift.Service.Monitoring;
using CreditRisk.Drift.Tests.Support;

namespace CreditRisk.Drift.Tests;

/// <summary>A window's tests against the credit applications' reference, without infrastructure.</summary>
public sealed class WindowAnalyzerTests
{
    private static readonly CreditApplications Data = CreditApplications.Data;
    private static readonly ReferenceData Reference = ReferenceData.From(Data.Profile);

    [Fact]
    public void The_feature_tests_equal_the_library_on_the_same_columns()
    {
        var window = Data.Predictions("m", 1, 0, 500, shift: true, tag: "t").Select(p => new WindowPrediction(p.Prediction, null)).ToList();
        var analysis = new WindowAnalyzer(new DriftOptions()).Analyze(Reference, window);

        Assert.Equal(500, analysis.SampleSize);
        foreach (var column in analysis.Features.Columns)
        {
            var index = Data.Features.Select(f => f.Name).ToList().IndexOf(column.Column);
            var current = column.Kind == CreditRisk.Drift.Columns.ColumnKind.Numeric
                ? CreditRisk.Drift.Columns.ColumnSample.Numeric(column.Column, [.. window.Select(w => w.Prediction.Features[index].Value is { } v ? v.DoubleValue : double.NaN)])
                : CreditRisk.Drift.Columns.ColumnSample.Categorical(column.Column, window.Select(w => w.Prediction.Features[index].Value?.StringValue));
            var expected = DriftDetector.CompareColumn(Reference.Features[Reference.IndexOf[column.Column]].Sample, current);
            Assert.Equal(expected.Value, column.Value);
            Assert.Equal(expected.Method, column.Method);
        }
    }

    [Fact]
    public void A_features_method_and_threshold_come_from_the_settings_and_a_wrong_method_is_refused_naming_it()
    {
        var settings = new DriftMonitorOptions { Features = { ["Income"] = new FeatureTestOptions { Method = "psi", Threshold = 0.2 }, ["Job"] = new FeatureTestOptions { Threshold = 0.3 } } };
        var window = Data.Predictions("m", 1, 0, 300, shift: false, tag: "o").Select(p => new WindowPrediction(p.Prediction, null)).ToList();
        var analysis = WindowAnalyzer.From(settings).Analyze(Reference, window);

        var income = analysis.Features.Columns.Single(c => c.Column == "Income");
        Assert.Equal((CreditRisk.Drift.Methods.DriftMethod.Psi, 0.2), (income.Method, income.Threshold));
        var job = analysis.Features.Columns.Single(c => c.Column == "Job");
        Assert.Equal((CreditRisk.Drift.Methods.DriftMethod.JensenShannon, 0.3), (job.Method, job.Threshold));

        settings.Features["Income"].Method = "t-test";
        var refused = Assert.Throws<InvalidOperationException>(() => WindowAnalyzer.From(settings));
        Assert.Contains("Drift:Features:Income:Method", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Data_quality_counts_missing_out_of_range_new_categories_and_online_statuses()
    {
        var window = Data.Predictions("m", 1, 0, 100, shift: false, tag: "q").Select(p => p.Prediction).ToList();
        var amount = Data.Features.Select(f => f.Name).ToList().IndexOf("Amount");
        var job = Data.Features.Select(f => f.Name).ToList().IndexOf("Job");
        for (var i = 0; i < 10; i++) window[i].Features[amount].Value = null;
        for (var i = 10; i < 15; i++) window[i].Features[amount].Value = new FeatureValue { DoubleValue = 1e9 };
        for (var i = 0; i < 20; i++) window[i].Features[job].Value = new FeatureValue { StringValue = "astronaut" };
        for (var i = 0; i < 4; i++) window[i].FeatureStatuses[amount] = FeatureStatus.NotFound;
        for (var i = 4; i < 7; i++) window[i].FeatureStatuses[amount] = FeatureStatus.OutsideTtl;

        var analysis = new WindowAnalyzer(new DriftOptions()).Analyze(Reference, [.. window.Select(p => new WindowPrediction(p, null))]);
        var amountQuality = analysis.Quality.Single(q => q.Feature == "Amount");
        Assert.Equal(0.10, amountQuality.MissingShare, 9);
        Assert.Equal(0.05, amountQuality.OutOfRangeShare, 9);
        Assert.Equal(0.04, amountQuality.NotFoundShare, 9);
        Assert.Equal(0.03, amountQuality.OutsideTtlShare, 9);
        var jobQuality = analysis.Quality.Single(q => q.Feature == "Job");
        Assert.Equal(0.20, jobQuality.NewCategoryShare, 9);
        Assert.Equal(["astronaut"], jobQuality.NewCategories);
        Assert.Null(analysis.Performance);
    }

    [Fact]
    public void A_prediction_off_the_reference_schema_is_left_out_with_its_reason()
    {
        var window = Data.Predictions("m", 1, 0, 60, shift: false, tag: "s").Select(p => p.Prediction).ToList();
        window[0].Features.RemoveAt(3);
        window[1].Features[0].Value = new FeatureValue { StringValue = "nine" };

        var analysis = new WindowAnalyzer(new DriftOptions()).Analyze(Reference, [.. window.Select(p => new WindowPrediction(p, null))]);
        Assert.Equal(58, analysis.SampleSize);
        Assert.Equal(2, analysis.SchemaMismatches);
        Assert.Contains(analysis.SchemaMismatchReasons, reason => reason.Contains("absent", StringComparison.Ordinal));
        Assert.Contains(analysis.SchemaMismatchReasons, reason => reason.Contains("is text", StringComparison.Ordinal));
    }

    [Fact]
    public void Performance_is_computed_on_the_labelled_predictions_only()
    {
        var rows = Data.Predictions("m", 1, 0, 400, shift: false, tag: "p");
        var window = rows.Select((p, i) => new WindowPrediction(p.Prediction, i % 4 == 0 ? p.Defaulted : null)).ToList();
        var analysis = new WindowAnalyzer(new DriftOptions(), performanceDrop: 0.05).Analyze(Reference, window);

        var labelled = rows.Where((_, i) => i % 4 == 0).ToList();
        var performance = analysis.Performance!;
        Assert.Equal(100, performance.Labelled);
        Assert.Equal(0.25, performance.LabelledShare, 9);
        Assert.Equal(labelled.Count(p => p.Defaulted), performance.Defaulted);
        Assert.Equal(CreditRisk.Modeling.Evaluation.RocAucScore.Compute([.. labelled.Select(p => p.Defaulted)], [.. labelled.Select(p => p.Prediction.DefaultProbability)]), performance.RocAuc, 12);
        Assert.Equal(Reference.RocAuc, performance.ReferenceRocAuc);
    }
}
