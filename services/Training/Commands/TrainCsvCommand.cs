using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CreditRisk.Modeling.Data;
using CreditRisk.Modeling.Evaluation;
using CreditRisk.Modeling.Training;

namespace CreditRisk.Training.Commands;

/// <summary>
/// train-csv --file F.csv --label COLUMN --positive VALUE [--folds 5] [--seed 42] [--trials N] [--output model.zip] [--json]
/// [--registry http://host:5031 [--api-key KEY] [--experiment NAME]]:
/// every candidate searched with stratified k-fold cross-validation on a CSV, the cross-validated
/// ROC AUC per candidate and the winner, logged as a registry run when a registry is given; with --json the last
/// line is one JSON object.
/// </summary>
public static class TrainCsvCommand
{
    public const string Name = "train-csv";

    /// <summary>Exit code of input that cannot be trained on (the message says why).</summary>
    public const int BadInputExitCode = 2;

    /// <summary>Exit code when the registry could not record the run (the figures were printed).</summary>
    public const int RegistryFailedExitCode = 3;

    /// <summary>Where the API key comes from when --api-key is not given (so it stays out of the process list).</summary>
    public const string ApiKeyVariable = "CREDITRISK_API_KEY";

    public static Command Create()
    {
        var file = new Option<string>("--file") { Description = "the CSV: a header row, RFC 4180 quoting, empty fields missing", Required = true };
        var label = new Option<string>("--label") { Description = "the label column", Required = true };
        var positive = new Option<string>("--positive") { Description = "the label value of the positive class (e.g. bad)", Required = true };
        var folds = new Option<int>("--folds") { Description = "stratified cross-validation folds", DefaultValueFactory = _ => 5 };
        var seed = new Option<int>("--seed") { Description = "seed of the folds, the search and the trainers", DefaultValueFactory = _ => 42 };
        var trials = new Option<int?>("--trials") { Description = "search trials per candidate (default: each candidate's own)" };
        var output = new Option<string?>("--output") { Description = "save the winner, refitted on every row, as a model zip with its signature" };
        var json = new Option<bool>("--json") { Description = "end with one JSON line: winner, cv_roc_auc, candidates" };
        var registry = new Option<string?>("--registry")
        {
            Description = "log the result as a run of this registry (gRPC address, e.g. http://127.0.0.1:5031); default: Services__Registry__Address when set",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("Services__Registry__Address"),
        };
        var apiKey = new Option<string?>("--api-key") { Description = $"a writer's key for the registry (default: ${ApiKeyVariable})" };
        var experiment = new Option<string>("--experiment")
        {
            Description = "the registry experiment of the run", DefaultValueFactory = _ => TrainCsvRegistryLog.DefaultExperiment,
        };
        folds.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 2)
            {
                result.AddError("--folds must be at least 2");
            }
        });
        trials.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1)
            {
                result.AddError("--trials must be at least 1");
            }
        });

        var command = new Command(Name, "Cross-validates the candidates (LightGBM, FastTree, logistic regression) on a CSV and names the winner.")
        {
            file, label, positive, folds, seed, trials, output, json, registry, apiKey, experiment,
        };
        command.SetAction((parsed, cancellationToken) => RunAsync(
            parsed.GetValue(file)!,
            parsed.GetValue(label)!,
            parsed.GetValue(positive)!,
            new TrainingSettings(parsed.GetValue(folds), parsed.GetValue(seed), parsed.GetValue(trials)),
            parsed.GetValue(output),
            parsed.GetValue(json),
            RegistryTarget(parsed.GetValue(registry), parsed.GetValue(apiKey), parsed.GetValue(experiment)!),
            parsed.InvocationConfiguration.Output,
            parsed.InvocationConfiguration.Error,
            cancellationToken));
        return command;
    }

    private sealed record RegistryTargetOptions(string Address, string ApiKey, string Experiment);

    private static RegistryTargetOptions? RegistryTarget(string? address, string? apiKey, string experiment) =>
        string.IsNullOrWhiteSpace(address)
            ? null
            : new RegistryTargetOptions(address, apiKey ?? Environment.GetEnvironmentVariable(ApiKeyVariable) ?? "", experiment);

    private static async Task<int> RunAsync(string file, string label, string positive, TrainingSettings settings, string? output, bool json,
        RegistryTargetOptions? registry, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        LabelledDataset dataset;
        try
        {
            dataset = LabelledDataset.FromTable(TabularTable.ReadFile(file), label, positive);
            // Folds are checked before any training, so a class too small for them fails at once.
            StratifiedFolds.Assign(dataset.Labels, settings.Folds, settings.Seed);
        }
        catch (Exception e) when (e is TabularDataException or ArgumentException)
        {
            stderr.WriteLine($"train-csv: {file}: {e.Message}");
            return BadInputExitCode;
        }

        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{file}: {dataset.Count} rows, {dataset.PositiveCount} with {label} = {positive}; " +
            $"{settings.Folds}-fold stratified CV, seed {settings.Seed}"));
        stdout.WriteLine("features: " + string.Join(", ", dataset.Features.Select(f => $"{f.Name} ({f.Kind.ToString().ToLowerInvariant()})")));
        if (dataset.DroppedColumns.Count > 0)
        {
            stdout.WriteLine("left out (no values): " + string.Join(", ", dataset.DroppedColumns));
        }

        var trainer = new CandidateTrainer(settings)
        {
            TrialFinished = (name, trial) => stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {name,-20} cv_roc_auc {trial.Mean.RocAuc:F4}  {trial.Parameters}")),
        };
        var report = trainer.Train(dataset);

        stdout.WriteLine();
        stdout.WriteLine($"{"candidate",-20} {"roc_auc",8} {"gini",8} {"ks",8} {"log_loss",8} {"brier",8} {"trials",6} {"time",7}");
        foreach (var candidate in report.Candidates)
        {
            var m = candidate.Best.Mean;
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{candidate.Name,-20} {m.RocAuc,8:F4} {m.Gini,8:F4} {m.Ks,8:F4} {m.LogLoss,8:F4} {m.Brier,8:F4} {candidate.Trials.Count,6} {candidate.Elapsed.TotalSeconds,6:F1}s"));
        }
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"winner: {report.Winner.Name} (cv_roc_auc {report.Winner.Best.Mean.RocAuc:F4}; {report.Winner.Best.Parameters}); {started.Elapsed.TotalSeconds:F1}s"));

        if (output is not null)
        {
            report.Model.Save(output);
            stdout.WriteLine($"model saved to {output}");
        }
        var exitCode = 0;
        if (registry is not null)
        {
            try
            {
                var run = await TrainCsvRegistryLog.LogAsync(registry.Address, registry.ApiKey, registry.Experiment, file, label, positive, settings, report,
                    cancellationToken);
                stdout.WriteLine($"logged as run {run.RunId} of experiment '{registry.Experiment}' in {registry.Address}");
            }
            catch (Grpc.Core.RpcException e)
            {
                stderr.WriteLine($"train-csv: the registry at {registry.Address} did not record the run: {e.Status.StatusCode}: {e.Status.Detail}");
                exitCode = RegistryFailedExitCode;
            }
        }
        if (json)
        {
            var result = new TrainCsvResult(
                report.Winner.Name,
                report.Winner.Best.Mean.RocAuc,
                report.Candidates.Select(c => new TrainCsvCandidate(c.Name, c.Best.Mean.RocAuc)).ToList());
            stdout.WriteLine(JsonSerializer.Serialize(result));
        }
        return exitCode;
    }
}
