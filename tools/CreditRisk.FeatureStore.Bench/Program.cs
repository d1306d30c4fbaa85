// Feature store benchmark: prints online read latency (1 × 50 and 100 × 50 features), online write and offline
// append throughput, and the time of a point-in-time retrieval of N entity rows (default 1,000,000).
// Usage: dotnet run -c Release --project tools/CreditRisk.FeatureStore.Bench -- [--rows 1000000] [--quick] [--offline-only] [--keep-database]
// Uses Redis__Configuration and ConnectionStrings__Postgres (defaults: the local infra); creates and drops its own
// database and key prefix.
// Other work on the machine skews every figure: print the load next to them.
using System.CommandLine;
using CreditRisk.FeatureStore.Bench;

var rows = new Option<int?>("--rows") { Description = "entity rows of the point-in-time retrieval (default 1,000,000; 50,000 with --quick)" };
var quick = new Option<bool>("--quick") { Description = "a smaller run: 10,000 customers, fewer reads" };
var offlineOnly = new Option<bool>("--offline-only") { Description = "skip the online store" };
var keepDatabase = new Option<bool>("--keep-database") { Description = "keep the bench database afterwards" };
var command = new RootCommand("Online read latency, write and append throughput and point-in-time retrieval of the feature store library.")
{
    rows, quick, offlineOnly, keepDatabase,
};
command.SetAction((parsed, _) => FeatureStoreBenchmark.RunAsync(
    BenchOptions.From(parsed.GetValue(rows), parsed.GetValue(quick), parsed.GetValue(offlineOnly), parsed.GetValue(keepDatabase))));
return await command.Parse(args).InvokeAsync();
