using CreditRisk.Benchmarking;

namespace CreditRisk.DevBroker.Bench;

/// <param name="ConsumeAllElapsed">Reading every produced record from the beginning; null where the target cannot keep them all.</param>
/// <param name="ConsumeRoundsElapsed">Reading freshly produced rounds of records, first-to-last record of each round.</param>
internal sealed record BenchResult(
    string Target,
    TimeSpan ProduceElapsed,
    TimeSpan? ConsumeAllElapsed,
    TimeSpan ConsumeRoundsElapsed,
    LatencySummary ProduceLatency,
    int Records,
    int ValueSize)
{
    private double Megabytes => (double)Records * ValueSize / (1024 * 1024);

    public double ProduceRecordsPerSecond => Records / ProduceElapsed.TotalSeconds;
    public double ProduceMegabytesPerSecond => Megabytes / ProduceElapsed.TotalSeconds;
    public double? ConsumeAllRecordsPerSecond => Records / ConsumeAllElapsed?.TotalSeconds;
    public double? ConsumeAllMegabytesPerSecond => Megabytes / ConsumeAllElapsed?.TotalSeconds;
    public double ConsumeRoundsRecordsPerSecond => Records / ConsumeRoundsElapsed.TotalSeconds;
    public double ConsumeRoundsMegabytesPerSecond => Megabytes / ConsumeRoundsElapsed.TotalSeconds;
}
