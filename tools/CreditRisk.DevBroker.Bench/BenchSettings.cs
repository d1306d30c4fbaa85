namespace CreditRisk.DevBroker.Bench;

internal sealed record BenchSettings(int Records, int ValueSize, string? Only);
