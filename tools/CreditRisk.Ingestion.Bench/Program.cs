using System.CommandLine;
using CreditRisk.Ingestion.Bench;

// Usage: dotnet run -c Release --project tools/CreditRisk.Ingestion.Bench
//          [--events 200000] [--batch-size 500] [--concurrency 4] [--single 2000] [--target http://host:port --api-key KEY]
// Without --target it starts an in-process dev broker and the ingestion service on Kestrel (h2c on a
// free port), against the Redis at Redis__Configuration (default 127.0.0.1:6379).
var defaults = new BenchOptions();
var events = new Option<int>("--events") { Description = "transactions submitted through SubmitBatch", DefaultValueFactory = _ => defaults.Events };
var batchSize = new Option<int>("--batch-size") { Description = "events per SubmitBatch call", DefaultValueFactory = _ => defaults.BatchSize };
var concurrency = new Option<int>("--concurrency") { Description = "SubmitBatch calls in flight at once", DefaultValueFactory = _ => defaults.Concurrency };
var single = new Option<int>("--single") { Description = "sequential Submit calls for the latency figures", DefaultValueFactory = _ => defaults.SingleSubmits };
var target = new Option<string?>("--target") { Description = "a running service's gRPC address (http://host:port); without it one is hosted in-process" };
var apiKey = new Option<string?>("--api-key") { Description = "a writer key for --target (default: $CREDITRISK_API_KEY); the in-process service gets its own" };
var command = new RootCommand("SubmitBatch throughput and Submit latency of the ingestion service.") { events, batchSize, concurrency, single, target, apiKey };
command.SetAction((parsed, _) => IngestionBenchmark.RunAsync(new BenchOptions
{
    Events = parsed.GetValue(events),
    BatchSize = parsed.GetValue(batchSize),
    Concurrency = parsed.GetValue(concurrency),
    SingleSubmits = parsed.GetValue(single),
    Target = parsed.GetValue(target),
    ApiKey = parsed.GetValue(apiKey) ?? Environment.GetEnvironmentVariable("CREDITRISK_API_KEY"),
}));
return await command.Parse(args).InvokeAsync();
