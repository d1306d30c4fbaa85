using CreditRisk.Modeling.Evaluation;

namespace CreditRisk.Modeling.Tests;

public sealed class StratifiedFoldsTests
{
    private static readonly bool[] Labels = Enumerable.Range(0, 1003).Select(i => i % 7 < 2).ToArray();

    [Fact]
    public void Every_fold_keeps_the_class_balance_to_within_one_row()
    {
        var folds = StratifiedFolds.Assign(Labels, 5, seed: 42);

        var positives = Labels.Count(label => label);
        for (var fold = 0; fold < 5; fold++)
        {
            var members = Enumerable.Range(0, Labels.Length).Where(i => folds[i] == fold).ToList();
            Assert.InRange(members.Count(i => Labels[i]), positives / 5, positives / 5 + 1);
            Assert.InRange(members.Count, Labels.Length / 5, Labels.Length / 5 + 1);
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_folds_and_another_seed_others()
    {
        Assert.Equal(StratifiedFolds.Assign(Labels, 5, seed: 42), StratifiedFolds.Assign(Labels, 5, seed: 42));
        Assert.NotEqual(StratifiedFolds.Assign(Labels, 5, seed: 42), StratifiedFolds.Assign(Labels, 5, seed: 7));
    }

    [Fact]
    public void The_folds_are_shuffled_not_contiguous()
    {
        var folds = StratifiedFolds.Assign(Labels, 5, seed: 42);

        Assert.NotEqual(folds.Order().ToArray(), folds);
    }

    [Fact]
    public void A_class_smaller_than_the_fold_count_is_refused()
    {
        bool[] labels = [true, true, false, false, false, false, false];

        var error = Assert.Throws<ArgumentException>(() => StratifiedFolds.Assign(labels, 3, seed: 1));

        Assert.Contains("smaller class has 2", error.Message);
    }
}
