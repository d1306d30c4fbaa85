using CreditRisk.Contracts.Scoring.V1;
using CreditRisk.Scoring.Options;
using CreditRisk.Scoring.Pipeline;
using Microsoft.Extensions.Configuration;

namespace CreditRisk.Scoring.Tests;

/// <summary>Risk grades and decisions at and around their configured bounds, bound from configuration as the service binds them.</summary>
public sealed class GradesAndDecisionsTests
{
    [Theory]
    [InlineData(0.0, "A")]
    [InlineData(0.05, "A")]
    [InlineData(0.0501, "B")]
    [InlineData(0.10, "B")]
    [InlineData(0.15, "C")]
    [InlineData(0.20, "C")]
    [InlineData(0.35, "D")]
    [InlineData(0.3501, "E")]
    [InlineData(1.0, "E")]
    public void The_default_bands_grade_each_probability_by_its_inclusive_upper_bound(double probability, string grade) =>
        Assert.Equal(grade, new RiskGrades(Bound([])).Of(probability));

    [Fact]
    public void Configured_bands_replace_the_defaults_in_any_order()
    {
        var grades = new RiskGrades(Bound(new()
        {
            ["Scoring:Grades:0:Name"] = "high", ["Scoring:Grades:0:MaxProbability"] = "1",
            ["Scoring:Grades:1:Name"] = "low", ["Scoring:Grades:1:MaxProbability"] = "0.25",
        }));

        Assert.Equal("low", grades.Of(0.25));
        Assert.Equal("high", grades.Of(0.2501));
    }

    [Fact]
    public void Bands_that_leave_probabilities_without_a_grade_are_refused()
    {
        var refused = Assert.Throws<InvalidOperationException>(() => new RiskGrades(Bound(new()
        {
            ["Scoring:Grades:0:Name"] = "low", ["Scoring:Grades:0:MaxProbability"] = "0.5",
        })));

        Assert.Contains("Scoring:Grades", refused.Message);
    }

    [Theory]
    [InlineData(0.0, false, Decision.Approve)]
    [InlineData(0.0999, false, Decision.Approve)]
    [InlineData(0.10, false, Decision.Review)]
    [InlineData(0.3499, false, Decision.Review)]
    [InlineData(0.35, false, Decision.Decline)]
    [InlineData(0.99, false, Decision.Decline)]
    [InlineData(0.01, true, Decision.Review)]
    [InlineData(0.99, true, Decision.Review)]
    public void The_default_thresholds_approve_below_review_between_and_decline_from(double probability, bool degraded, Decision decision) =>
        Assert.Equal(decision, new DecisionPolicy(Bound([])).Decide(probability, degraded));

    [Fact]
    public void Configured_thresholds_move_the_decisions()
    {
        var policy = new DecisionPolicy(Bound(new() { ["Scoring:Decision:ApproveBelow"] = "0.2", ["Scoring:Decision:DeclineFrom"] = "0.6" }));

        Assert.Equal(Decision.Approve, policy.Decide(0.15, degraded: false));
        Assert.Equal(Decision.Review, policy.Decide(0.2, degraded: false));
        Assert.Equal(Decision.Review, policy.Decide(0.5999, degraded: false));
        Assert.Equal(Decision.Decline, policy.Decide(0.6, degraded: false));
    }

    [Fact]
    public void Thresholds_out_of_order_are_refused()
    {
        var refused = Assert.Throws<InvalidOperationException>(() =>
            new DecisionPolicy(Bound(new() { ["Scoring:Decision:ApproveBelow"] = "0.5", ["Scoring:Decision:DeclineFrom"] = "0.3" })));

        Assert.Contains("Scoring:Decision", refused.Message);
    }

    private static Microsoft.Extensions.Options.IOptions<ScoringOptions> Bound(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return Microsoft.Extensions.Options.Options.Create(configuration.GetSection("Scoring").Get<ScoringOptions>() ?? new ScoringOptions());
    }
}
