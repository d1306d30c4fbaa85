namespace CreditRisk.Scoring.Bench.Tests;

public sealed class BenchOptionsTests
{
    [Fact]
    public void The_defaults_are_the_issues_scenarios()
    {
        var names = new BenchOptions().Scenarios().Select(scenario => scenario.Name);

        Assert.Equal(["concurrency 1", "concurrency 16", "concurrency 64", "constant 2000/s"], names);
    }

    [Fact]
    public void Concurrency_zero_leaves_the_constant_rate_alone()
    {
        var scenario = Assert.Single(new BenchOptions { Concurrency = [0], Rate = 2_000 }.Scenarios());

        Assert.True(scenario.IsOpenLoop);
        Assert.Equal(2_000, scenario.Rate);
    }

    [Fact]
    public void Rate_zero_leaves_the_closed_loops_alone()
    {
        var scenarios = new BenchOptions { Concurrency = [1, 16], Rate = 0 }.Scenarios();

        Assert.Equal([1, 16], scenarios.Select(scenario => scenario.Concurrency));
        Assert.DoesNotContain(scenarios, scenario => scenario.IsOpenLoop);
    }
}
