using System.Globalization;
using System.Text;

namespace CreditRisk.Scoring.Bench;

/// <summary>
/// The bench's table: per scenario the target's and the baseline's p50/p99/p99.9 (ms), throughput and errors, and the
/// ratios (baseline latency ÷ target latency, target throughput ÷ baseline throughput: above 1 means the target is better).
/// </summary>
public static class BenchReport
{
    /// <param name="target">The first side's results (the baseline's alone when there is no target).</param>
    public static string Format(IReadOnlyList<ScenarioResult> target, IReadOnlyList<ScenarioResult>? baseline)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{"scenario",-18} {"side",-9} {"n",8} {"p50 ms",8} {"p99 ms",8} {"p99.9 ms",9} {"req/s",9} {"errors",7}");
        foreach (var result in target)
        {
            var against = baseline?.FirstOrDefault(other => other.Scenario == result.Scenario);
            Line(text, result);
            if (against is not null)
            {
                Line(text, against);
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"{"",-18} {"ratio",-9} {"",8} {Ratio(against.Latency.P50, result.Latency.P50),8} {Ratio(against.Latency.P99, result.Latency.P99),8} {Ratio(against.Latency.P999, result.Latency.P999),9} {Ratio(result.RequestsPerSecond, against.RequestsPerSecond),9} {"",7}");
            }
        }
        foreach (var result in target.Concat(baseline ?? []).Where(result => result.FirstError is not null))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{result.Target}, {result.Scenario.Name}: first error: {result.FirstError}");
        }
        return text.ToString();
    }

    /// <summary>"4.20x", or "-" when either side has nothing to compare.</summary>
    public static string Ratio(double numerator, double denominator) =>
        numerator > 0 && denominator > 0 ? string.Create(CultureInfo.InvariantCulture, $"{numerator / denominator:0.00}x") : "-";

    private static void Line(StringBuilder text, ScenarioResult result) =>
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{result.Scenario.Name,-18} {result.Target,-9} {result.Latency.Count,8} {result.Latency.P50,8:0.000} {result.Latency.P99,8:0.000} {result.Latency.P999,9:0.000} {result.RequestsPerSecond,9:0} {result.Errors,7}");
}
