namespace CreditRisk.FeatureStore.Bench;

internal sealed record BenchOptions(string Redis, string Postgres, int HistoricalRows, int Customers, bool Quick, bool OfflineOnly, bool KeepDatabase)
{
    public static BenchOptions From(int? rows, bool quick, bool offlineOnly, bool keepDatabase) => new(
        Environment.GetEnvironmentVariable("Redis__Configuration") ?? "127.0.0.1:6379",
        Environment.GetEnvironmentVariable("ConnectionStrings__Postgres") ?? "Host=127.0.0.1;Port=5432;Username=creditrisk;Database=creditrisk",
        rows ?? (quick ? 50_000 : 1_000_000),
        Customers: quick ? 10_000 : 100_000,
        quick,
        offlineOnly,
        keepDatabase);
}
