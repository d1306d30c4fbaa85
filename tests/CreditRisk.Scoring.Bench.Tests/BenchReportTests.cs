using CreditRisk.Benchmarking;

namespace CreditRisk.Scoring.Bench.Tests;

public sealed class BenchReportTests
{
    [Fact]
    public void Each_scenario_shows_both_sides_and_the_ratios()
    {
        var scenario = Scenario.ClosedLoop(16);
        var target = new ScenarioResult(scenario, "target", new LatencySummary(1000, 0.5, 0.7, 1.0, 2.0, 3.0, 0.55), 6000, 0);
        var baseline = new ScenarioResult(scenario, "baseline", new LatencySummary(300, 5.0, 7, 20.0, 30.0, 40, 6), 200, 2, "deadline exceeded");

        var report = BenchReport.Format([target], [baseline]).Split(Environment.NewLine);

        Assert.StartsWith("scenario", report[0]);
        Assert.Equal("concurrency 16     target        1000    0.500    1.000     2.000      6000       0", report[1]);
        Assert.Equal("concurrency 16     baseline       300    5.000   20.000    30.000       200       2", report[2]);
        Assert.Equal("                   ratio                10.00x   20.00x    15.00x    30.00x", report[3].TrimEnd());
        Assert.Equal("baseline, concurrency 16: first error: deadline exceeded", report[4]);
    }

    [Fact]
    public void A_side_without_results_has_no_ratio()
    {
        Assert.Equal("-", BenchReport.Ratio(1.0, 0));
        Assert.Equal("-", BenchReport.Ratio(0, 2.0));
        Assert.Equal("0.50x", BenchReport.Ratio(1.0, 2.0));
        Assert.DoesNotContain("ratio", BenchReport.Format(
            [new ScenarioResult(Scenario.OpenLoop(2000), "target", new LatencySummary(1, 1, 1, 1, 1, 1, 1), 2000, 0)], null));
    }

    [Fact]
    public void The_transport_floor_is_a_line_of_its_own_beside_the_baseline()
    {
        var summary = new LatencySummary(100, 0.2, 0.3, 0.9, 1.5, 2.0, 0.25);
        var baseline = new ScenarioResult(Scenario.ClosedLoop(1), "baseline", summary, 100, 0);
        var floor = new ScenarioResult(Scenario.TransportFloor(), "target", summary, 4000, 0);

        var report = BenchReport.Format([floor], [baseline]).Split(Environment.NewLine);

        Assert.Equal("floor (ServerLive) target         100    0.200    0.900     1.500      4000       0", report[1]);
        Assert.DoesNotContain(report, line => line.Contains("ratio", StringComparison.Ordinal));
    }
}
