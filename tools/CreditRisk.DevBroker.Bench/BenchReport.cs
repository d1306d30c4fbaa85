using System.Globalization;

namespace CreditRisk.DevBroker.Bench;

internal static class BenchReport
{
    private const double GoalRecordsPerSecond = 300_000;

    public static void Print(IReadOnlyList<BenchResult> results, BenchSettings settings)
    {
        Console.WriteLine();
        var header = string.Format(CultureInfo.InvariantCulture, "{0,-26}", "metric") + string.Concat(results.Select(r => string.Format(CultureInfo.InvariantCulture, "{0,18}", r.Target)));
        var showRatio = results.Count == 2;
        if (showRatio)
        {
            header += string.Format(CultureInfo.InvariantCulture, "{0,14}", "dev / mock");
        }

        Console.WriteLine(header);
        Console.WriteLine(new string('-', header.Length));
        Row("produce records/s", r => r.ProduceRecordsPerSecond, "N0");
        Row("produce MB/s", r => r.ProduceMegabytesPerSecond, "N1");
        Row("produce p50 latency ms", r => r.ProduceLatency.P50, "N1");
        Row("produce p90 latency ms", r => r.ProduceLatency.P90, "N1");
        Row("produce p99 latency ms", r => r.ProduceLatency.P99, "N1");
        Row("produce p99.9 latency ms", r => r.ProduceLatency.P999, "N1");
        Row("produce max latency ms", r => r.ProduceLatency.Max, "N1");
        Row("consume all records/s", r => r.ConsumeAllRecordsPerSecond, "N0");
        Row("consume all MB/s", r => r.ConsumeAllMegabytesPerSecond, "N1");
        Row("consume rounds records/s", r => r.ConsumeRoundsRecordsPerSecond, "N0");
        Row("consume rounds MB/s", r => r.ConsumeRoundsMegabytesPerSecond, "N1");
        Console.WriteLine();
        Console.WriteLine($"({settings.Records:N0} records of {settings.ValueSize} B; latency is from the Produce call to the delivery report, queueing included;");
        Console.WriteLine(" 'consume all' reads everything from offset 0 after the produce phase (the mock keeps only a log tail: n/a);");
        Console.WriteLine(" 'consume rounds' produces 20,000 records, then times reading them, first to last record, until all are read.)");

        var dev = results.FirstOrDefault(r => r.Target == "dev broker");
        if (dev is not null)
        {
            var meets = dev.ProduceRecordsPerSecond >= GoalRecordsPerSecond && (dev.ConsumeAllRecordsPerSecond ?? 0) >= GoalRecordsPerSecond;
            Console.WriteLine($"goal >= {GoalRecordsPerSecond:N0} records/s each way (produce, consume all) on the dev broker: {(meets ? "met" : "NOT met")}");
        }

        void Row(string name, Func<BenchResult, double?> value, string format)
        {
            var line = string.Format(CultureInfo.InvariantCulture, "{0,-26}", name)
                + string.Concat(results.Select(r => (value(r)?.ToString(format, CultureInfo.InvariantCulture) ?? "n/a").PadLeft(18)));
            if (showRatio)
            {
                var ratio = value(results[0]) / value(results[1]);
                line += (ratio?.ToString("0.00", CultureInfo.InvariantCulture) ?? "").PadLeft(14);
            }

            Console.WriteLine(line);
        }
    }
}
