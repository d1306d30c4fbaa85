using CreditRisk.Modeling.Models;
using CreditRisk.Scoring.Features;
using CreditRisk.Scoring.Models;
using CreditRisk.Scoring.Routing;
using CreditRisk.Scoring.Tests.Support;

namespace CreditRisk.Scoring.Tests;

/// <summary>The A/B split on the router alone: deterministic per customer, and within 2 points of the weights.</summary>
public sealed class ArmRouterTests
{
    private static readonly LoadedModel Model = Loaded();

    [Theory]
    [InlineData(0.5, 0.5, 0.0)]
    [InlineData(0.7, 0.3, 0.0)]
    [InlineData(0.9, 0.05, 0.05)]
    public void The_split_over_10000_customers_is_within_two_points_of_the_weights(double first, double second, double third)
    {
        var weights = new[] { first, second, third }.Where(weight => weight > 0).ToArray();
        var state = State("credit_default", weights);
        var counts = new Dictionary<string, int>();

        for (var i = 0; i < 10_000; i++)
        {
            var arm = ArmRouter.Choose(state, $"customer-{i}").Name;
            counts[arm] = counts.GetValueOrDefault(arm) + 1;
        }

        for (var a = 0; a < weights.Length; a++)
        {
            var share = counts.GetValueOrDefault($"arm{a}") / 10_000.0;
            Assert.True(Math.Abs(share - weights[a]) <= 0.02, $"arm{a}: {share:P2} of traffic for a weight of {weights[a]:P2}");
        }
    }

    [Fact]
    public void The_same_customer_always_gets_the_same_arm()
    {
        var state = State("credit_default", [0.5, 0.5]);
        var again = State("credit_default", [0.5, 0.5]);   // another replica, or after a restart

        for (var i = 0; i < 1_000; i++)
        {
            var customer = $"customer-{i}";
            var arm = ArmRouter.Choose(state, customer).Name;
            Assert.Equal(arm, ArmRouter.Choose(state, customer).Name);
            Assert.Equal(arm, ArmRouter.Choose(again, customer).Name);
        }
    }

    [Fact]
    public void Two_models_split_their_customers_independently()
    {
        var customers = Enumerable.Range(0, 10_000).Select(i => $"customer-{i}").ToList();
        var a = State("model_a", [0.5, 0.5]);
        var b = State("model_b", [0.5, 0.5]);

        var agreeing = customers.Count(customer => ArmRouter.Choose(a, customer).Name == ArmRouter.Choose(b, customer).Name);

        // Independent halves agree for about half the customers; the same hash for both would agree for all.
        Assert.InRange(agreeing / 10_000.0, 0.47, 0.53);
    }

    [Fact]
    public void A_shadow_arm_takes_no_traffic()
    {
        var arms = new List<ArmModel> { new("live", "alias:champion", 1, false, Model), new("shadow", "version:2", 0, true, Model) };
        var state = new ServingState("credit_default", 1, arms);

        Assert.All(Enumerable.Range(0, 1_000), i => Assert.Equal("live", ArmRouter.Choose(state, $"customer-{i}").Name));
        Assert.Equal("shadow", state.Shadow?.Name);
    }

    private static ServingState State(string model, double[] weights) =>
        new(model, 1, [.. weights.Select((weight, i) => new ArmModel($"arm{i}", $"version:{i + 1}", weight, false, Model))]);

    private static LoadedModel Loaded()
    {
        var model = TestModels.Load(TestModels.ModelA);
        return new LoadedModel("credit_default", 1, "", model, ModelFeatures.Of(model.Signature));
    }
}
