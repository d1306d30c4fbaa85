using CreditRisk.Benchmarking;
using CreditRisk.Modeling.Data;
using CreditRisk.Modeling.Explanations;
using CreditRisk.Modeling.Pipelines;
using CreditRisk.Modeling.Training;

namespace CreditRisk.Scoring.Bench;

/// <summary>
/// What reason codes cost per row, in process: each candidate kind trained on the file at its default point, then the
/// same rows scored alone (<c>CreditRiskModel.Score</c>) and scored with their explanation (<c>ModelExplainer.Explain</c>).
/// </summary>
public static class ExplanationCost
{
    public static int Run(string file, int rows, TextWriter output)
    {
        var dataset = LabelledDataset.FromTable(TabularTable.ReadFile(file), "Status", "bad");
        output.WriteLine($"{dataset.Count} rows from {file}; {rows} single-row calls per measurement after as many warm-up calls");
        foreach (var candidate in ModelCandidate.All)
        {
            var model = new CandidateTrainer(new TrainingSettings(Folds: 2, Seed: 42, Trials: 1), [candidate]).Train(dataset).Model;
            using var explainer = ModelExplainer.Create(model);
            var named = dataset.Values.Select(values => model.Signature.Inputs.Select((input, i) => (input.Name, values[i]))
                .ToDictionary(pair => pair.Name, pair => pair.Item2)).ToList();
            var score = new LatencyRecorder();
            var explain = new LatencyRecorder();
            var scoreSyncs = Measure(score, rows, i => model.Score(named[i % named.Count]));
            var explainSyncs = Measure(explain, rows, i => explainer.Explain(dataset.Values[i % dataset.Count], top: 5).Probability);
            output.WriteLine($"{candidate.Name,-20} score          {score.Summary()}  (checksum {scoreSyncs:0.000})");
            output.WriteLine($"{candidate.Name,-20} score+explain  {explain.Summary()}  (checksum {explainSyncs:0.000})");
        }
        return 0;
    }

    private static double Measure(LatencyRecorder recorder, int rows, Func<int, double> call)
    {
        var checksum = 0.0;
        for (var i = 0; i < rows; i++)
        {
            checksum += call(i);
        }
        for (var i = 0; i < rows; i++)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            checksum += call(i);
            recorder.RecordSince(started);
        }
        return checksum;
    }
}
