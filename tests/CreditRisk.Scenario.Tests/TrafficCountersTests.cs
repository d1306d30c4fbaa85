using CreditRisk.Scenario;

namespace CreditRisk.Scenario.Tests;

public sealed class TrafficCountersTests
{
    [Fact]
    public async Task Counts_from_many_callers_at_once_add_up()
    {
        var counters = new TrafficCounters();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(caller => Task.Run(() =>
        {
            for (var i = 0; i < 1_000; i++)
            {
                counters.ScoreSucceeded(i % 10 == 0 ? "challenger" : "champion", 1 + caller % 2, shifted: i % 2 == 0);
            }
        })));

        Assert.Equal(8_000, counters.Scored);
        Assert.Equal(4_000, counters.ShiftedScored);
        Assert.Equal(800, counters.ByArm.Where(pair => pair.Key.StartsWith("challenger", StringComparison.Ordinal)).Sum(pair => pair.Value));
        Assert.Equal(2, counters.ChampionVersion);
    }

    [Fact]
    public void Failures_count_against_their_call_with_their_status()
    {
        var counters = new TrafficCounters();

        counters.Failed(LoadGenerator.ScoreCall, "Unavailable");
        counters.Failed(LoadGenerator.ScoreCall, "Unavailable");
        counters.Failed(LoadGenerator.SubmitCall, "Rejected application.amount: must be positive");
        counters.Failed(LoadGenerator.OutcomeCall, "DeadlineExceeded");

        Assert.Equal(2, counters.ScoreFailed);
        Assert.Equal(1, counters.SubmitFailed);
        Assert.Equal(1, counters.OutcomeFailed);
        Assert.Equal(2, counters.Failures["Score: Unavailable"]);
        Assert.Contains("2 failed", counters.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_champion_version_is_the_highest_the_champion_arm_served()
    {
        var counters = new TrafficCounters();

        counters.ScoreSucceeded("challenger", 3, shifted: false);
        counters.ScoreSucceeded("champion", 2, shifted: false);
        counters.ScoreSucceeded("champion", 1, shifted: false);

        Assert.Equal(2, counters.ChampionVersion);
    }
}
