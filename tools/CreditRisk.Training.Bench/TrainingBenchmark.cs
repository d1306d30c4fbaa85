using System.Diagnostics;
using System.Globalization;
using CreditRisk.Benchmarking;
using CreditRisk.Modeling.Data;
using CreditRisk.Modeling.Evaluation;
using CreditRisk.Modeling.Models;
using CreditRisk.Modeling.Training;
using CreditRisk.Training.Steps;

namespace CreditRisk.Training.Bench;

/// <summary>
/// The train-csv pipeline on the file and on a synthetic set, scikit-learn on the same folds beside it, and the saved
/// winner's single-row and batch scoring.
/// </summary>
public static class TrainingBenchmark
{
    private const int WarmupRows = 2_000;
    private const int BatchRows = 100_000;

    /// <summary>Which scikit-learn model each of our candidates is compared with.</summary>
    private static readonly Dictionary<string, string> SklearnCounterpart = new()
    {
        ["lightgbm"] = "hist-gradient-boosting",
        ["fasttree"] = "hist-gradient-boosting",
        ["logistic-regression"] = "logistic-regression",
    };

    public static async Task<int> RunAsync(BenchOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        output.WriteLine($"load average at start: {LoadAverage()}; {Environment.ProcessorCount} cores; .NET {Environment.Version}");
        var fileTrials = options.Trials ?? StepParameters.DefaultTrials;
        var pipeline = options.Pipeline
            ? await PipelineBenchmark.StartAsync(RepositoryRoot(), options.RegistryDll, new Dictionary<string, IReadOnlyDictionary<string, string>>
            {
                [PipelineBenchmark.ModelFor(FileSet)] = PipelineParameters(options, fileTrials),
                [PipelineBenchmark.ModelFor(SyntheticSet(options))] = PipelineParameters(options, options.SyntheticTrials),
            }, output, cancellationToken)
            : null;
        var pipelineRuns = new List<PipelineMeasurement>();
        try
        {
            var file = Measure(FileSet, options.File, options, options.Trials, output);
            var fileSklearn = SklearnBaseline.Run(options.Python, file.Csv, options.Label, options.Positive, file.FoldOfRow, output);
            Compare(file, fileSklearn, output);
            if (pipeline is not null)
            {
                pipelineRuns.Add(await MeasurePipelineAsync(pipeline, FileSet, options.File, options.Seed, fileTrials, output, cancellationToken));
            }

            if (options.SyntheticRows > 0)
            {
                var syntheticCsv = Path.Combine(Path.GetTempPath(), $"creditrisk-training-bench-{Environment.ProcessId}.csv");
                try
                {
                    var generating = Stopwatch.StartNew();
                    SyntheticCreditData.Write(syntheticCsv, options.SyntheticRows, options.Seed);
                    output.WriteLine();
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"synthetic set: {options.SyntheticRows} rows, seed {options.Seed}, written in {generating.Elapsed.TotalSeconds:F1}s to {syntheticCsv}"));
                    var synthetic = Measure(SyntheticSet(options), syntheticCsv, options, options.SyntheticTrials, output);
                    var syntheticSklearn = SklearnBaseline.Run(options.Python, syntheticCsv, options.Label, options.Positive, synthetic.FoldOfRow, output);
                    Compare(synthetic, syntheticSklearn, output);
                    if (pipeline is not null)
                    {
                        pipelineRuns.Add(await MeasurePipelineAsync(pipeline, SyntheticSet(options), syntheticCsv, options.Seed, options.SyntheticTrials, output, cancellationToken));
                    }
                }
                finally
                {
                    File.Delete(syntheticCsv);
                }
            }

            MeasureScoring(file, options.SingleRows, output);
            PipelineReport.PrintSummary(pipelineRuns, output);
        }
        finally
        {
            if (pipeline is not null)
            {
                await pipeline.DisposeAsync();
            }
        }
        output.WriteLine();
        output.WriteLine($"load average at end: {LoadAverage()}");
        return pipelineRuns.All(run => run.Succeeded) ? 0 : 1;
    }

    private const string FileSet = "credit_data";

    private static string SyntheticSet(BenchOptions options) => $"synthetic {options.SyntheticRows}";

    /// <summary>The run's step parameters: the training service's defaults for credit_default, with the bench's folds, seed and trials.</summary>
    private static IReadOnlyDictionary<string, string> PipelineParameters(BenchOptions options, int trials) => new Dictionary<string, string>
    {
        ["seed"] = options.Seed.ToString(CultureInfo.InvariantCulture),
        ["folds"] = options.Folds.ToString(CultureInfo.InvariantCulture),
        ["trials"] = trials.ToString(CultureInfo.InvariantCulture),
    };

    private static async Task<PipelineMeasurement> MeasurePipelineAsync(
        PipelineBenchmark pipeline, string name, string csv, int seed, int trials, TextWriter output, CancellationToken cancellationToken)
    {
        var run = await pipeline.MeasureAsync(name, PipelineBenchmark.ModelFor(name), csv, seed, cancellationToken);
        PipelineReport.Print(run, trials, output);
        return run;
    }

    /// <summary>The checkout the bench runs in: the registry is built from it.</summary>
    private static string RepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "CreditRisk.Services.sln")))
                {
                    return folder.FullName;
                }
            }
        }
        throw new InvalidOperationException("No CreditRisk.Services.sln above the working folder or the bench's: run it from the repository, or pass --registry-dll.");
    }

    private static PipelineRun Measure(string name, string csv, BenchOptions options, int? trials, TextWriter output)
    {
        var reading = Stopwatch.StartNew();
        var dataset = LabelledDataset.FromTable(TabularTable.ReadFile(csv), options.Label, options.Positive);
        var readTime = reading.Elapsed;
        var settings = new TrainingSettings(options.Folds, options.Seed, trials);
        // The same assignment CandidateTrainer makes from the same labels, folds and seed; scikit-learn gets it too.
        var folds = StratifiedFolds.Assign(dataset.Labels, settings.Folds, settings.Seed);

        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"== {name}: {csv}, {dataset.Count} rows ({dataset.PositiveCount} {options.Label} = {options.Positive}, " +
            $"{100.0 * dataset.PositiveCount / dataset.Count:F1}%), {dataset.Features.Count} features; {settings.Folds}-fold stratified CV, " +
            $"seed {settings.Seed}, trials per candidate: {(trials is { } n ? n.ToString(CultureInfo.InvariantCulture) : "each candidate's default")}"));
        var training = Stopwatch.StartNew();
        var report = new CandidateTrainer(settings).Train(dataset);
        var run = new PipelineRun(name, csv, dataset, folds, report, readTime, training.Elapsed);

        output.WriteLine($"{"candidate",-20} {"trials",6} {"cv_roc_auc",10} {"time",9} {"per trial",9}");
        foreach (var candidate in report.Candidates)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{candidate.Name,-20} {candidate.Trials.Count,6} {candidate.Best.Mean.RocAuc,10:F4} {candidate.Elapsed.TotalSeconds,8:F1}s {PerTrial(candidate).TotalSeconds,8:F2}s"));
        }
        var searching = report.Candidates.Aggregate(TimeSpan.Zero, (sum, candidate) => sum + candidate.Elapsed);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"winner {report.Winner.Name} ({report.Winner.Best.Mean.RocAuc:F4}); read {readTime.TotalSeconds:F1}s, search {searching.TotalSeconds:F1}s, " +
            $"winner refit {(run.TrainTime - searching).TotalSeconds:F1}s, total {run.Total.TotalSeconds:F1}s"));
        return run;
    }

    private static void Compare(PipelineRun run, SklearnResult? sklearn, TextWriter output)
    {
        if (sklearn is null)
        {
            return;
        }
        output.WriteLine();
        output.WriteLine($"{run.Name}: ours vs scikit-learn {sklearn.Version}, the same {run.FoldOfRow.Max() + 1} folds; time = one cross-validation of one hyperparameter point;");
        output.WriteLine("  'default' is our candidate's default point, the like of scikit-learn's fixed settings, and the AUC difference is taken from it");
        output.WriteLine($"{"ours",-20} {"best",7} {"default",7} {"time",9} | {"scikit-learn",-22} {"cv_roc_auc",10} {"time",9} | {"auc diff",8} {"time ratio",10}");
        foreach (var candidate in run.Report.Candidates)
        {
            var counterpart = sklearn.Models.FirstOrDefault(model => model.Name == SklearnCounterpart.GetValueOrDefault(candidate.Name));
            if (counterpart is null)
            {
                continue;
            }
            var ours = PerTrial(candidate).TotalSeconds;
            // The search tries the default point first.
            var defaultPoint = candidate.Trials[0].Mean.RocAuc;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{candidate.Name,-20} {candidate.Best.Mean.RocAuc,7:F4} {defaultPoint,7:F4} {ours,8:F2}s | {counterpart.Name,-22} {counterpart.CvRocAuc,10:F4} {counterpart.Seconds,8:F2}s | " +
                $"{defaultPoint - counterpart.CvRocAuc,8:+0.0000;-0.0000} {ours / counterpart.Seconds,9:F2}x"));
        }
    }

    private static void MeasureScoring(PipelineRun run, int singleRows, TextWriter output)
    {
        var modelFile = Path.Combine(Path.GetTempPath(), $"creditrisk-training-bench-{Environment.ProcessId}.zip");
        try
        {
            run.Report.Model.Save(modelFile);
            var loading = Stopwatch.StartNew();
            var model = CreditRiskModel.Load(modelFile);
            var loadTime = loading.Elapsed;

            var inputs = run.Dataset.Values
                .Select(values => (IReadOnlyDictionary<string, object?>)run.Dataset.Features
                    .Select((feature, i) => (feature.Name, Value: values[i]))
                    .ToDictionary(pair => pair.Name, pair => pair.Value))
                .ToList();
            for (var i = 0; i < WarmupRows; i++)
            {
                model.Score(inputs[i % inputs.Count]);
            }
            var latency = new LatencyRecorder();
            for (var i = 0; i < singleRows; i++)
            {
                var started = Stopwatch.GetTimestamp();
                model.Score(inputs[i % inputs.Count]);
                latency.RecordSince(started);
            }

            var batch = Enumerable.Range(0, BatchRows).Select(i => (IReadOnlyList<object?>)run.Dataset.Values[i % run.Dataset.Count]).ToList();
            model.ScoreMany(batch.Take(1_000));
            var scoring = Stopwatch.StartNew();
            var probabilities = model.ScoreMany(batch);
            var batchTime = scoring.Elapsed;

            output.WriteLine();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{run.Name}'s winner saved ({model.Signature.Trainer}, {new FileInfo(modelFile).Length / 1024.0:F0} KiB) loaded in {loadTime.TotalMilliseconds:F0} ms"));
            output.WriteLine($"single-row Score after {WarmupRows} warm-up rows: {latency.Summary()}");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"batch ScoreMany: {probabilities.Length} rows in {batchTime.TotalSeconds:F2}s = {probabilities.Length / batchTime.TotalSeconds:F0} rows/s"));
        }
        finally
        {
            File.Delete(modelFile);
        }
    }

    private static TimeSpan PerTrial(CandidateResult candidate) => candidate.Elapsed / candidate.Trials.Count;

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
