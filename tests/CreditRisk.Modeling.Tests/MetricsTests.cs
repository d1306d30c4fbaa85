using CreditRisk.Modeling.Evaluation;

namespace CreditRisk.Modeling.Tests;

/// <summary>The expected AUCs are scikit-learn 1.2.1's roc_auc_score on the same labels and scores.</summary>
public sealed class MetricsTests
{
    public static TheoryData<int[], double[], double> ScikitLearnCases => new()
    {
        { [0, 0, 1, 1, 0, 1, 0, 1], [0.1, 0.4, 0.35, 0.8, 0.4, 0.4, 0.2, 0.9], 0.8125 },
        { [0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5], 0.5 },
        { [1, 1, 0, 0, 0], [0.1, 0.2, 0.3, 0.4, 0.5], 0.0 },
        { [1, 0, 1, 0, 1, 1, 0, 0, 0, 1, 0, 1], [0.3, 0.3, 0.7, 0.1, 0.7, 0.3, 0.1, 0.7, 0.3, 0.9, 0.5, 0.5], 0.7638888888888888 },
        {
            [1, 0, 1, 0, 1, 1, 1, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0],
            [
                0.9, 1.0, 0.5, 0.5, 1.2, 0.4, 0.8, 1.1, 0.7, 0.8, 0.2, 0.8, 0.4, 0.8, 0.4, 0.8, 0.8, 0.3, 0.9, 0.3,
                0.5, 0.4, 1.0, 0.7, 0.5, 0.7, 0.7, 1.2, 0.2, 0.7, 0.7, 0.4, 0.6, 0.8, 0.7, 0.0, 0.1, 1.0, 0.8, 0.7,
            ],
            0.8558897243107769
        },
    };

    [Theory]
    [MemberData(nameof(ScikitLearnCases))]
    public void Roc_auc_equals_scikit_learns_with_ties(int[] labels, double[] scores, double expected)
    {
        var auc = RocAucScore.Compute(labels.Select(label => label == 1).ToArray(), scores);

        Assert.Equal(expected, auc, 12);
    }

    [Fact]
    public void Gini_ks_log_loss_and_brier_on_a_worked_case()
    {
        bool[] labels = [true, false, true, false];
        double[] probabilities = [0.8, 0.4, 0.6, 0.6];

        var metrics = BinaryMetrics.Compute(labels, probabilities);

        Assert.Equal(0.875, metrics.RocAuc, 12);
        Assert.Equal(0.75, metrics.Gini, 12);
        // Above 0.6: one positive, no negative; from 0.6 up: both positives, one negative. A gap of 1/2 either way.
        Assert.Equal(0.5, metrics.Ks, 12);
        Assert.Equal(-(Math.Log(0.8) + Math.Log(0.6) + Math.Log(0.6) + Math.Log(0.4)) / 4, metrics.LogLoss, 12);
        Assert.Equal((0.04 + 0.16 + 0.16 + 0.36) / 4, metrics.Brier, 12);
    }

    [Fact]
    public void Roc_auc_needs_both_classes()
    {
        Assert.Throws<ArgumentException>(() => RocAucScore.Compute([true, true], [0.1, 0.2]));
    }
}
