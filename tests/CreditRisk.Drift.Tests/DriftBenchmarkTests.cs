using System.Globalization;
using System.Text.RegularExpressions;
using CreditRisk.Benchmarking;
using CreditRisk.Drift.Bench;

namespace CreditRisk.Drift.Tests;

/// <summary>The bench at a small size: it runs end to end, and where Debian's scipy is installed its values equal the baseline's.</summary>
public sealed partial class DriftBenchmarkTests
{

    [Theory]
    [InlineData(800)]
    [InlineData(5000)]
    public async Task Bench_values_equal_the_numpy_scipy_baseline(int referenceRows)
    {
        var python = HasScipy() ? DebianPython.Path : null;
        var output = new StringWriter();
        var code = await DriftBenchmark.RunAsync(20_000, referenceRows, 20, 1, python, output, TestContext.Current.CancellationToken);
        var text = output.ToString();
        Assert.Equal(0, code);
        Assert.Contains("C#: best", text);
        Assert.Contains(referenceRows <= 1000 ? " ks " : " wasserstein ", text);
        if (python is null) return;
        var match = LargestDifference().Match(text);
        Assert.True(match.Success, text);
        Assert.True(double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) <= 1e-9, text);
    }

    [Fact]
    public async Task The_streaming_part_counts_predictions_into_windows_and_prints_the_cost_per_prediction()
    {
        var output = new StringWriter();
        await StreamingBenchmark.RunAsync(4_000, CreditRisk.Testing.InfrastructureSettings.PostgresConnectionString, output, TestContext.Current.CancellationToken);
        var text = output.ToString();
        Assert.Matches(@"Streaming ingestion: 4,000 predictions .* µs per prediction", text);
        Assert.Contains("Window close: 2 windows of 2,000", text, StringComparison.Ordinal);
    }

    private static bool HasScipy() =>
        File.Exists(DebianPython.Path) && Directory.Exists("/usr/lib/python3/dist-packages/scipy");

    [GeneratedRegex(@"largest relative difference of values ([0-9.E+-]+)")]
    private static partial Regex LargestDifference();
}
