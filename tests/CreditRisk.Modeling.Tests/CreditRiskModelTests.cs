using CreditRisk.Modeling.Data;
using CreditRisk.Modeling.Models;
using CreditRisk.Modeling.Pipelines;
using CreditRisk.Modeling.Training;

namespace CreditRisk.Modeling.Tests;

public sealed class CreditRiskModelTests
{
    private static LabelledDataset Dataset() =>
        LabelledDataset.FromTable(TabularTable.Read(new StringReader(SyntheticCreditData.Csv(400, seed: 3))), "Status", "bad");

    public static TheoryData<string> CandidateNames => new(ModelCandidate.All.Select(candidate => candidate.Name));

    [Theory]
    [MemberData(nameof(CandidateNames))]
    public void A_saved_model_loads_and_scores_identically(string name)
    {
        var dataset = Dataset();
        var candidate = ModelCandidate.All.Single(c => c.Name == name);
        var report = new CandidateTrainer(new TrainingSettings(Folds: 3, Seed: 1, Trials: 1), [candidate]).Train(dataset);

        using var file = new MemoryStream();
        report.Model.Save(file);
        file.Position = 0;
        var loaded = CreditRiskModel.Load(file);

        var rows = dataset.Values.Take(50).ToList();
        var before = report.Model.ScoreMany(rows);
        Assert.Equal(before, loaded.ScoreMany(rows));
        Assert.Equal(before[0], loaded.Score(Named(loaded.Signature, rows[0])), 6);
        Assert.Equal(report.Model.Signature.ToJson(), loaded.Signature.ToJson());
        Assert.All(before, p => Assert.InRange(p, 0, 1));
    }

    [Fact]
    public void Missing_values_and_an_unseen_category_are_scored_not_refused()
    {
        var dataset = Dataset();
        var report = new CandidateTrainer(new TrainingSettings(Folds: 3, Seed: 1, Trials: 1)).Train(dataset);
        using var file = new MemoryStream();
        report.Model.Save(file);
        file.Position = 0;
        var model = CreditRiskModel.Load(file);

        var known = model.Score(new Dictionary<string, object?> { ["Age"] = 30, ["Income"] = 100.0, ["Home"] = "rent", ["Records"] = "no" });
        var missing = model.Score(new Dictionary<string, object?> { ["Age"] = null, ["Home"] = null });
        var unseen = model.Score(new Dictionary<string, object?> { ["Age"] = 30, ["Income"] = 100.0, ["Home"] = "castle", ["Records"] = "no" });

        Assert.All([known, missing, unseen], p => Assert.InRange(p, 0, 1));
        Assert.NotEqual(known, unseen);
    }

    [Fact]
    public void The_signature_lists_the_inputs_in_order_with_their_kinds_and_the_output()
    {
        var report = new CandidateTrainer(new TrainingSettings(Folds: 3, Seed: 1, Trials: 1), [new LogisticRegressionCandidate()]).Train(Dataset());

        var signature = ModelSignature.FromJson(report.Model.Signature.ToJson());

        Assert.Equal(
            [("Age", ColumnKind.Numeric), ("Income", ColumnKind.Numeric), ("Home", ColumnKind.Categorical), ("Records", ColumnKind.Categorical)],
            signature.Inputs.Select(input => (input.Name, input.Kind)));
        Assert.Equal(new ModelOutput("probability", "float32", "Status", "bad"), signature.Output);
        Assert.Equal("logistic-regression", signature.Trainer);
        Assert.Contains("\"kind\": \"categorical\"", report.Model.Signature.ToJson());
    }

    [Fact]
    public void The_search_is_deterministic_per_seed()
    {
        var dataset = Dataset();
        var settings = new TrainingSettings(Folds: 3, Seed: 5, Trials: 2);

        var first = new CandidateTrainer(settings, [new LightGbmCandidate()]).Train(dataset);
        var second = new CandidateTrainer(settings, [new LightGbmCandidate()]).Train(dataset);

        Assert.Equal(
            first.Winner.Trials.Select(t => (t.Parameters.ToString(), t.Mean.RocAuc)),
            second.Winner.Trials.Select(t => (t.Parameters.ToString(), t.Mean.RocAuc)));
    }

    private static Dictionary<string, object?> Named(ModelSignature signature, IReadOnlyList<object?> values) =>
        signature.Inputs.Select((input, i) => (input.Name, values[i])).ToDictionary(pair => pair.Name, pair => pair.Item2);
}
