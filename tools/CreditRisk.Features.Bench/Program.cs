using System.CommandLine;
using CreditRisk.Features.Bench;

// Usage: dotnet run -c Release --project tools/CreditRisk.Features.Bench [--events 500000] [--warmup-events 300000] [--customers 20000]
//   [--batch 2000] [--batch-delay-ms 50] [--lateness-hours 24] [--reads 5000] [--reads-100 1000] [--historical-rows 1000000]
//   [--bootstrap host:port] [--postgres "<connection string>"] [--redis host:port] [--allocations]
// Without --bootstrap it starts an in-process dev broker on a fresh data folder. It creates (and drops) its own
// PostgreSQL database and uses its own Redis key prefix.
return await BenchSettings.Command(FeaturesBenchmark.RunAsync).Parse(args).InvokeAsync();
