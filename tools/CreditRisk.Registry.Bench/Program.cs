// Registry benchmarks, through the real gRPC server on loopback against the local PostgreSQL:
//   1. LogBatch of 1,000 metrics (and of 10, MLflow's k6 anchor) on one run: p50/p99.
//   2. SearchRuns over 100,000 runs × 10 metrics (seeded with binary COPY): filter on one metric,
//      order by another, first page of 100: p50/p99.
// Usage: dotnet run -c Release --project tools/CreditRisk.Registry.Bench [-- --runs 100000 --iterations 300 --explain]
// --explain prints PostgreSQL's plan (EXPLAIN ANALYZE) of the first search's query.
// PostgreSQL: ConnectionStrings__Postgres (default: the local one). A throw-away database is created and dropped.
using System.CommandLine;
using CreditRisk.Registry.Bench;

var runs = new Option<int>("--runs") { Description = "runs seeded for the search", DefaultValueFactory = _ => 100_000 };
var iterations = new Option<int>("--iterations") { Description = "timed calls per figure", DefaultValueFactory = _ => 300 };
var explain = new Option<bool>("--explain") { Description = "print PostgreSQL's plan (EXPLAIN ANALYZE) of the first search's query" };
var command = new RootCommand("LogBatch and SearchRuns latency of the registry, through its real gRPC server.") { runs, iterations, explain };
command.SetAction((parsed, _) => RegistryBenchmark.RunAsync(parsed.GetValue(runs), parsed.GetValue(iterations), parsed.GetValue(explain)));
return await command.Parse(args).InvokeAsync();
