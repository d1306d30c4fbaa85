using CreditRisk.Drift.Service.Monitoring;

namespace CreditRisk.Drift.Tests;

/// <summary>Which window of a stream closes next: by count, by age, or sliding.</summary>
public sealed class WindowPolicyTests
{
    private static readonly DateTime Now = new(2026, 12, 2, 12, 0, 0, DateTimeKind.Utc);

    private static StreamState Stream(long next, long closed, DateTime? firstPending = null) =>
        new(1, new StreamKey("m", 1, true), next, closed, firstPending);

    [Theory]
    [InlineData(199, 0, null, null)]
    [InlineData(200, 0, 0L, 200L)]
    [InlineData(650, 200, 200L, 400L)]
    public void Tumbling_windows_close_every_window_size_predictions(long next, long closed, long? start, long? end)
    {
        var window = WindowPolicy.Next(Stream(next, closed), new DriftMonitorOptions { WindowSize = 200 }, Now);
        Assert.Equal(start, window?.StartSeq);
        Assert.Equal(end, window?.EndSeq);
    }

    [Fact]
    public void A_window_duration_closes_an_old_enough_window_of_at_least_the_minimum_size()
    {
        var options = new DriftMonitorOptions { WindowSize = 200, MinWindowSize = 50, WindowDuration = TimeSpan.FromMinutes(10) };
        Assert.Equal((200L, 260L), WindowPolicy.Next(Stream(260, 200, Now.AddMinutes(-11)), options, Now));
        Assert.Null(WindowPolicy.Next(Stream(260, 200, Now.AddMinutes(-9)), options, Now));
        Assert.Null(WindowPolicy.Next(Stream(240, 200, Now.AddMinutes(-11)), options, Now));
    }

    [Fact]
    public void Sliding_windows_cover_the_last_window_size_predictions_every_slide()
    {
        var options = new DriftMonitorOptions { WindowSize = 200, WindowSlide = 50 };
        Assert.Null(WindowPolicy.Next(Stream(199, 0), options, Now));
        Assert.Equal((0L, 200L), WindowPolicy.Next(Stream(200, 0), options, Now));
        Assert.Null(WindowPolicy.Next(Stream(249, 200), options, Now));
        Assert.Equal((50L, 250L), WindowPolicy.Next(Stream(260, 200), options, Now));
    }

    [Fact]
    public void Inconsistent_settings_are_refused_naming_the_setting()
    {
        Assert.Contains("WindowSlide", Assert.Throws<InvalidOperationException>(() => WindowPolicy.Validate(new DriftMonitorOptions { WindowSize = 100, WindowSlide = 101 })).Message, StringComparison.Ordinal);
        Assert.Contains("MinWindowSize", Assert.Throws<InvalidOperationException>(() => WindowPolicy.Validate(new DriftMonitorOptions { WindowSize = 100, MinWindowSize = 101 })).Message, StringComparison.Ordinal);
    }
}
