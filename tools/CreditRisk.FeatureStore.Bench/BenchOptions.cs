namespace CreditRisk.FeatureStore.Bench;

internal sealed record BenchOptions(string Redis, string Postgres, int HistoricalRows, int Customers, bool Quick)
{
    public static BenchOptions Parse(string[] args)
    {
        var rows = 1_000_000;
        var quick = args.Contains("--quick");
        for (var i = 0; i < args.Length - 1; i++)
        {
            if (args[i] == "--rows")
            {
                rows = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        if (quick && !args.Contains("--rows"))
        {
            rows = 50_000;
        }
        return new BenchOptions(
            Environment.GetEnvironmentVariable("Redis__Configuration") ?? "127.0.0.1:6379",
            Environment.GetEnvironmentVariable("ConnectionStrings__Postgres") ?? "Host=127.0.0.1;Port=5432;Username=creditrisk;Database=creditrisk",
            rows,
            Customers: quick ? 10_000 : 100_000,
            quick);
    }
}
