using System.Numerics;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace CreditRisk.Testing.Telemetry;

/// <summary>
/// A test's own measurements among everyone's: instruments are static, tests run in parallel, so a test picks out its
/// measurements by a tag only it uses, such as its own topic.
/// </summary>
public static class MetricCollectorExtensions
{
    /// <summary>The sum of the values measured with <paramref name="tag"/> = <paramref name="value"/> (a counter's total).</summary>
    public static T Sum<T>(this MetricCollector<T> collector, string tag, string value) where T : struct, INumber<T>
    {
        var total = T.Zero;
        foreach (var measurement in Tagged(collector, tag, value))
        {
            total += measurement.Value;
        }
        return total;
    }

    /// <summary>How many measurements were taken with <paramref name="tag"/> = <paramref name="value"/> (a histogram's observations).</summary>
    public static int Count<T>(this MetricCollector<T> collector, string tag, string value) where T : struct =>
        Tagged(collector, tag, value).Count();

    private static IEnumerable<CollectedMeasurement<T>> Tagged<T>(MetricCollector<T> collector, string tag, string value) where T : struct =>
        collector.GetMeasurementSnapshot().Where(measurement => measurement.Tags.TryGetValue(tag, out var tagged) && Equals(tagged, value));
}
