using System.CommandLine;
using CreditRisk.Scoring.Bench;

// Usage: dotnet run -c Release --project tools/CreditRisk.Scoring.Bench -- [--target grpc://127.0.0.1:5051|none] [--api-key KEY]
//          [--duration 20] [--warmup 5] [--concurrency 1 16 64] [--rate 2000] [--python /usr/bin/python3|none]
//        ... -- explain-cost [--rows 20000]
//        ... -- sample [--target grpc://127.0.0.1:5051] [--api-key KEY] [--count 5]
var defaults = new BenchOptions();
var target = new Option<string>("--target") { Description = "the scoring service, grpc://host:port (none: the baseline only)", DefaultValueFactory = _ => defaults.Target };
var apiKey = new Option<string?>("--api-key") { Description = "the API key sent to the target (writer role: a score is recorded)" };
var modelName = new Option<string>("--model") { Description = "the model name put in each request (empty: the service's default)", DefaultValueFactory = _ => defaults.ModelName };
var file = new Option<string>("--file") { Description = "credit_data.csv, the applications the requests carry", DefaultValueFactory = _ => defaults.File };
var seed = new Option<int>("--seed") { Description = "the order of the applications and the request ids", DefaultValueFactory = _ => defaults.Seed };
var warmup = new Option<double>("--warmup") { Description = "seconds of unmeasured load before each scenario", DefaultValueFactory = _ => defaults.Warmup.TotalSeconds };
var duration = new Option<double>("--duration") { Description = "seconds measured per scenario", DefaultValueFactory = _ => defaults.Duration.TotalSeconds };
var concurrency = new Option<int[]>("--concurrency") { Description = "closed-loop callers, one scenario each (0: none, the constant rate only)", DefaultValueFactory = _ => [.. defaults.Concurrency], AllowMultipleArgumentsPerToken = true };
var rate = new Option<double>("--rate") { Description = "the open-loop scenario's constant requests/s (0 skips it)", DefaultValueFactory = _ => defaults.Rate };
var python = new Option<string>("--python") { Description = "python with Debian's python3-grpcio and python3-sklearn for the baseline (none skips it)", DefaultValueFactory = _ => defaults.Python! };

var rows = new Option<int>("--rows") { Description = "single-row calls per measurement", DefaultValueFactory = _ => 20_000 };
var explainCost = new Command("explain-cost", "Per-row cost of scoring alone and of scoring with reason codes, in process, for each candidate kind.") { file, rows };
explainCost.SetAction(parsed => ExplanationCost.Run(parsed.GetValue(file)!, Math.Max(1, parsed.GetValue(rows)), parsed.InvocationConfiguration.Output));

var count = new Option<int>("--count") { Description = "applications scored", DefaultValueFactory = _ => 5 };
var sample = new Command("sample", "Scores a few applications over gRPC and prints each probability, grade, decision and top reasons.") { target, apiKey, file, seed, count };
sample.SetAction((parsed, cancellationToken) => SampleScores.RunAsync(parsed.GetValue(target)!, parsed.GetValue(apiKey), parsed.GetValue(file)!,
    Math.Max(1, parsed.GetValue(count)), parsed.GetValue(seed), parsed.InvocationConfiguration.Output, cancellationToken));

var command = new RootCommand("Latency and throughput of ScoringService.Score at concurrency 1, 16, 64 and a constant rate, beside a Python scikit-learn baseline in the same run.")
{
    target, apiKey, modelName, file, seed, warmup, duration, concurrency, rate, python, explainCost, sample,
};
command.SetAction((parsed, cancellationToken) => ScoringBenchmark.RunAsync(
    new BenchOptions
    {
        Target = parsed.GetValue(target)!,
        ApiKey = parsed.GetValue(apiKey),
        ModelName = parsed.GetValue(modelName)!,
        File = parsed.GetValue(file)!,
        Seed = parsed.GetValue(seed),
        Warmup = TimeSpan.FromSeconds(Math.Max(0, parsed.GetValue(warmup))),
        Duration = TimeSpan.FromSeconds(Math.Max(1, parsed.GetValue(duration))),
        Concurrency = parsed.GetValue(concurrency)!,
        Rate = parsed.GetValue(rate),
        Python = parsed.GetValue(python) is var path && string.Equals(path, "none", StringComparison.OrdinalIgnoreCase) ? null : path,
    },
    parsed.InvocationConfiguration.Output,
    cancellationToken));
return await command.Parse(args).InvokeAsync();
