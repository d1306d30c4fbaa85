using CreditRisk.Training.Steps;

namespace CreditRisk.Training.Tests;

/// <summary>Every branch of the promotion policy.</summary>
public sealed class PromotionPolicyTests
{
    private static PromotionInputs Inputs(ChampionComparison champion, double auc = 0.80, double ece = 0.03, double ks = 0.45) =>
        new(NewVersion: 4, auc, ece, ks, champion, Margin: 0.002, CalibrationGuard: 0.02, KsGuard: 0.02);

    private static ChampionComparison Champion(double auc = 0.79, double ece = 0.03, double ks = 0.45) => new(3, auc, ece, ks, null);

    [Fact]
    public void The_first_version_becomes_champion()
    {
        var decision = PromotionPolicy.Decide(Inputs(ChampionComparison.None));

        Assert.True(decision.Champion);
        Assert.Equal("champion", decision.Outcome);
        Assert.Contains("first champion", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_champion_that_could_not_be_compared_is_kept()
    {
        var decision = PromotionPolicy.Decide(Inputs(new ChampionComparison(3, null, null, null, "champion v3 uses feature service x@1")));

        Assert.False(decision.Champion);
        Assert.Equal("challenger", decision.Outcome);
        Assert.Contains("champion v3 uses feature service x@1", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gain_below_the_margin_stays_challenger_with_the_numbers()
    {
        var decision = PromotionPolicy.Decide(Inputs(Champion(auc: 0.799), auc: 0.800));

        Assert.False(decision.Champion);
        Assert.Contains("OOT ROC AUC 0.8000 vs champion v3 0.7990", decision.Reason, StringComparison.Ordinal);
        Assert.Contains("gain 0.0010 < margin 0.0020", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_worse_model_stays_challenger()
    {
        Assert.False(PromotionPolicy.Decide(Inputs(Champion(auc: 0.85), auc: 0.80)).Champion);
    }

    [Fact]
    public void A_better_model_whose_calibration_degrades_past_the_guard_stays_challenger()
    {
        var decision = PromotionPolicy.Decide(Inputs(Champion(ece: 0.02), auc: 0.82, ece: 0.05));

        Assert.False(decision.Champion);
        Assert.Contains("calibration degrades", decision.Reason, StringComparison.Ordinal);
        Assert.Contains("increase 0.0300 > guard 0.0200", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_better_model_whose_ks_falls_past_the_guard_stays_challenger()
    {
        var decision = PromotionPolicy.Decide(Inputs(Champion(ks: 0.50), auc: 0.82, ks: 0.45));

        Assert.False(decision.Champion);
        Assert.Contains("decrease 0.0500 > guard 0.0200", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_better_model_within_the_guards_becomes_champion()
    {
        var decision = PromotionPolicy.Decide(Inputs(Champion(auc: 0.79, ece: 0.03, ks: 0.45), auc: 0.80, ece: 0.045, ks: 0.44));

        Assert.True(decision.Champion);
        Assert.Contains("becomes champion", decision.Reason, StringComparison.Ordinal);
        Assert.Contains("gain 0.0100 ≥ margin 0.0020", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gain_of_the_margin_is_enough()
    {
        Assert.True(PromotionPolicy.Decide(Inputs(Champion(auc: 0.75), auc: 0.75 + 0.002 + 1e-12)).Champion);
    }
}
