namespace CreditRisk.DevBroker.Bench;

internal sealed record BenchResult(
    string Target,
    TimeSpan ProduceElapsed,
    TimeSpan ConsumeElapsed,
    double P50LatencyMs,
    double P99LatencyMs,
    double MaxLatencyMs,
    int Records,
    int ValueSize)
{
    public double ProduceRecordsPerSecond => Records / ProduceElapsed.TotalSeconds;
    public double ConsumeRecordsPerSecond => Records / ConsumeElapsed.TotalSeconds;
    public double ProduceMegabytesPerSecond => (double)Records * ValueSize / (1024 * 1024) / ProduceElapsed.TotalSeconds;
    public double ConsumeMegabytesPerSecond => (double)Records * ValueSize / (1024 * 1024) / ConsumeElapsed.TotalSeconds;
}
