using CreditRisk.Modeling.Data;
using CreditRisk.Modeling.Evaluation;
using CreditRisk.Modeling.Models;
using CreditRisk.Modeling.Pipelines;
using Microsoft.ML;

namespace CreditRisk.Modeling.Training;

/// <summary>
/// Searches each candidate's space with the same stratified folds, picks the best candidate by mean
/// cross-validated ROC AUC and refits its best hyperparameters on the whole dataset.
/// </summary>
public sealed class CandidateTrainer(TrainingSettings settings, IReadOnlyList<ModelCandidate>? candidates = null)
{
    private readonly IReadOnlyList<ModelCandidate> _candidates = candidates ?? ModelCandidate.All;

    /// <summary>Called after each trial, for progress output.</summary>
    public Action<string, CrossValidationResult>? TrialFinished { get; init; }

    public TrainingReport Train(LabelledDataset dataset)
    {
        var context = new MLContext(settings.Seed);
        var folds = StratifiedFolds.Assign(dataset.Labels, settings.Folds, settings.Seed);
        var validator = new CrossValidator(context, dataset, folds, settings.Seed);

        var results = new List<CandidateResult>();
        foreach (var candidate in _candidates)
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            var trials = new List<CrossValidationResult>();
            foreach (var parameters in candidate.Space.RandomTrials(settings.Trials ?? candidate.DefaultTrials, settings.Seed))
            {
                var trial = validator.Evaluate(candidate, parameters);
                trials.Add(trial);
                TrialFinished?.Invoke(candidate.Name, trial);
            }
            results.Add(new CandidateResult(candidate.Name, trials, started.Elapsed));
        }

        var winner = results.MaxBy(result => result.Best.Mean.RocAuc)!;
        var winning = _candidates.Single(candidate => candidate.Name == winner.Name);
        var transformer = winning.CreatePipeline(context, dataset.Schema, winner.Best.Parameters, settings.Seed)
            .Fit(dataset.Schema.ToDataView(context, dataset.Rows));
        var signature = new ModelSignature(
            InputDefaults.Of(dataset),
            ModelOutput.PositiveProbability(dataset.LabelColumn, dataset.PositiveLabel),
            winner.Name,
            winner.Best.Parameters.Values.ToDictionary(),
            winner.Best.Mean.RocAuc);
        return new TrainingReport(results, winner, new CreditRiskModel(context, transformer, signature));
    }
}
