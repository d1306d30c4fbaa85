using CreditRisk.Contracts.Events.V1;
using CreditRisk.Scenario;

namespace CreditRisk.Scenario.Tests;

public sealed class DriftVerdictsTests
{
    [Fact]
    public void A_smaller_p_value_and_a_larger_distance_both_mean_more_drift()
    {
        Assert.True(DriftVerdicts.Strength(Feature("a", "ks", 1e-9)) > DriftVerdicts.Strength(Feature("b", "ks", 1e-3)));
        Assert.True(DriftVerdicts.Strength(Feature("c", "wasserstein", 0.5, threshold: 0.1)) > DriftVerdicts.Strength(Feature("d", "wasserstein", 0.2, threshold: 0.1)));
        Assert.Equal(0, DriftVerdicts.Strength(Feature("e", "ks", double.NaN)));
    }

    [Fact]
    public void The_most_drifted_features_are_the_drifted_ones_furthest_past_their_threshold()
    {
        var report = new DriftReportPublished
        {
            ModelVersion = 1,
            Served = true,
            SampleSize = 2_000,
            DriftDetected = true,
            DriftShare = 0.6,
            DriftShareThreshold = 0.5,
            PredictionDrift = true,
            Performance = new WindowPerformance { Labelled = 1_500, RocAuc = 0.69 },
            Features =
            {
                Feature("income", "ks", 1e-30),
                Feature("amount", "ks", 1e-5),
                Feature("job", "chisquare", 1e-12),
                Feature("age", "ks", 0.4, drifted: false),
                Feature("payment_to_income", "wasserstein", 0.9, threshold: 0.1),
            },
            Alerts = { "dataset drift: 3 of 5 features (retraining requested: drift:r1)" },
        };

        Assert.Equal(["income", "job", "amount"], DriftVerdicts.MostDrifted(report, 3).Select(feature => feature.Feature));
        var line = DriftVerdicts.Describe(report);
        Assert.Contains("v1 served, 2000 predictions: dataset drift, prediction drift (drifted share 0.60 of 0.50)", line, StringComparison.Ordinal);
        Assert.Contains("most drifted income (ks", line, StringComparison.Ordinal);
        Assert.Contains("; ROC AUC 0.690 on 1500 outcomes; raised RetrainRequested: dataset drift: 3 of 5 features", line, StringComparison.Ordinal);
        Assert.DoesNotContain("retraining requested", line, StringComparison.Ordinal);
        Assert.DoesNotContain("age", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_report_without_drift_says_so()
    {
        var report = new DriftReportPublished { ModelVersion = 2, Served = false, SampleSize = 10, DriftShareThreshold = 0.5, Features = { Feature("age", "ks", 0.5, drifted: false) } };

        Assert.Equal("v2 shadow, 10 predictions: no dataset drift (drifted share 0.00 of 0.50); no feature drifted", DriftVerdicts.Describe(report));
    }

    private static FeatureDrift Feature(string name, string method, double value, double threshold = 0.05, bool drifted = true) =>
        new() { Feature = name, Method = method, Value = value, Threshold = threshold, Drifted = drifted };

    [Fact]
    public void A_brief_line_says_whether_the_window_raised_a_retrain_or_the_cool_down_held_it_back()
    {
        var raised = new DriftReportPublished
        {
            ModelVersion = 1,
            SampleSize = 2_000,
            PredictionDrift = true,
            DriftShare = 0.47,
            WindowEnd = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 12, 2, 19, 11, 2, TimeSpan.Zero)),
            Features = { Feature("application:payment_to_income", "wasserstein", 1.5, threshold: 0.1) },
            Alerts = { "prediction drift: wasserstein 0.99 against 0.1 (retraining requested: drift:r1)" },
        };
        var held = raised.Clone();
        held.Alerts.Clear();
        held.Alerts.Add("prediction drift: wasserstein 0.96 against 0.1 (not raised: inside the cool-down after report r1)");

        Assert.Equal("19:11:02 v1, 2000 predictions: prediction drift, drifted share 0.47; most drifted payment_to_income; raised RetrainRequested", DriftVerdicts.Brief(raised));
        Assert.EndsWith("; retrain held back (cool-down)", DriftVerdicts.Brief(held), StringComparison.Ordinal);
    }
}
