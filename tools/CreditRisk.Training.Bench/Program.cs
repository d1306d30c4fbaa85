using System.CommandLine;
using CreditRisk.Training.Bench;

// Usage: dotnet run -c Release --project tools/CreditRisk.Training.Bench
//          [--file data/credit_data.csv] [--trials N] [--synthetic-rows 100000] [--synthetic-trials 1] [--single-rows 20000]
//          [--no-pipeline] [--registry-dll PATH]
// Runs from the repository root (the default --file is relative to it); scikit-learn needs Debian's python3-sklearn.
var defaults = new BenchOptions();
var file = new Option<string>("--file") { Description = "the CSV train-csv is timed on", DefaultValueFactory = _ => defaults.File };
var label = new Option<string>("--label") { Description = "its label column", DefaultValueFactory = _ => defaults.Label };
var positive = new Option<string>("--positive") { Description = "the label value of the positive class", DefaultValueFactory = _ => defaults.Positive };
var folds = new Option<int>("--folds") { Description = "stratified cross-validation folds", DefaultValueFactory = _ => defaults.Folds };
var seed = new Option<int>("--seed") { Description = "seed of the folds, the search, the trainers and the synthetic set", DefaultValueFactory = _ => defaults.Seed };
var trials = new Option<int?>("--trials") { Description = "search trials per candidate on --file (default: each candidate's own, as train-csv)" };
var syntheticRows = new Option<int>("--synthetic-rows") { Description = "rows of the synthetic set (0 skips it)", DefaultValueFactory = _ => defaults.SyntheticRows };
var syntheticTrials = new Option<int>("--synthetic-trials") { Description = "search trials per candidate on the synthetic set (1 = the default point)", DefaultValueFactory = _ => defaults.SyntheticTrials };
var singleRows = new Option<int>("--single-rows") { Description = "sequential single-row predictions timed after the warm-up", DefaultValueFactory = _ => defaults.SingleRows };
var python = new Option<string>("--python") { Description = "the python with scikit-learn (Debian's python3-sklearn)", DefaultValueFactory = _ => defaults.Python };
var noPipeline = new Option<bool>("--no-pipeline") { Description = "skip the persisted training pipeline (engine, steps, registry process)" };
var registryDll = new Option<string?>("--registry-dll") { Description = "a built CreditRisk.Registry.dll to start (default: services/Registry built into a scratch folder)" };
var command = new RootCommand("Wall time of the train-csv pipeline on a CSV and a synthetic set beside scikit-learn on the same folds, of the persisted training pipeline per step, and the saved model's scoring latency.")
{
    file, label, positive, folds, seed, trials, syntheticRows, syntheticTrials, singleRows, python, noPipeline, registryDll,
};
command.SetAction((parsed, cancellationToken) => TrainingBenchmark.RunAsync(
    new BenchOptions
    {
        File = parsed.GetValue(file)!,
        Label = parsed.GetValue(label)!,
        Positive = parsed.GetValue(positive)!,
        Folds = parsed.GetValue(folds),
        Seed = parsed.GetValue(seed),
        Trials = parsed.GetValue(trials),
        SyntheticRows = parsed.GetValue(syntheticRows),
        SyntheticTrials = Math.Max(1, parsed.GetValue(syntheticTrials)),
        SingleRows = Math.Max(1, parsed.GetValue(singleRows)),
        Python = parsed.GetValue(python)!,
        Pipeline = !parsed.GetValue(noPipeline),
        RegistryDll = parsed.GetValue(registryDll),
    },
    parsed.InvocationConfiguration.Output,
    cancellationToken));
return await command.Parse(args).InvokeAsync();
