namespace CreditRisk.Scoring.Bench.Tests;

public sealed class OpenLoopScheduleTests
{
    private const long TicksPerSecond = 1_000_000_000;

    [Fact]
    public void Request_i_is_intended_at_i_over_the_rate()
    {
        var schedule = new OpenLoopSchedule(2_000, TicksPerSecond);

        Assert.Equal(0, schedule.IntendedOffset(0));
        Assert.Equal(500_000, schedule.IntendedOffset(1));
        Assert.Equal(1_000_000_000, schedule.IntendedOffset(2_000));
    }

    [Fact]
    public void A_request_is_due_from_its_intended_time_on()
    {
        var schedule = new OpenLoopSchedule(2_000, TicksPerSecond);

        Assert.Equal(0, schedule.DueBy(-1));
        Assert.Equal(1, schedule.DueBy(0));
        Assert.Equal(1, schedule.DueBy(499_999));
        Assert.Equal(2, schedule.DueBy(500_000));
        // Behind by a second: a second's requests are due at once (sent late, their latency counted from when they were due).
        Assert.Equal(2_001, schedule.DueBy(1_000_000_000));
    }

    [Fact]
    public void A_rate_that_does_not_divide_the_clock_keeps_its_average()
    {
        var schedule = new OpenLoopSchedule(3, 10);

        Assert.Equal([0L, 4, 7, 10], Enumerable.Range(0, 4).Select(i => schedule.IntendedOffset(i)));
        Assert.All(Enumerable.Range(0, 30), i => Assert.Equal(i + 1, schedule.DueBy(schedule.IntendedOffset(i))));
        Assert.All(Enumerable.Range(1, 30), i => Assert.Equal(i, schedule.DueBy(schedule.IntendedOffset(i) - 1)));
        Assert.Equal(60, schedule.CountIn(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public void A_rate_of_zero_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new OpenLoopSchedule(0, TicksPerSecond));
    }
}
