using CreditRisk.Modeling.Data;
using CreditRisk.Modeling.Explanations;
using CreditRisk.Modeling.Models;
using CreditRisk.Modeling.Pipelines;
using CreditRisk.Modeling.Training;
using Microsoft.ML;

namespace CreditRisk.Modeling.Tests;

public sealed class ModelExplainerTests
{
    public static TheoryData<string> CandidateNames => new(ModelCandidate.All.Select(candidate => candidate.Name));

    private static readonly object?[] RiskyRow = [22, 60.0, "rent", "yes"];
    private static readonly object?[] SafeRow = [65, 240.0, "owner", "no"];

    [Fact]
    public void Logistic_regression_contributions_have_the_sign_of_the_known_effect()
    {
        using var explainer = ModelExplainer.Create(Train(new LogisticRegressionCandidate(), KnownEffects()));

        // The label rises with "raises" and falls with "lowers"; "noise" has no effect.
        var high = Contributions(explainer.Explain([2.0, 0.0, 0.0, "b"]));
        var low = Contributions(explainer.Explain([-2.0, 0.0, 0.0, "b"]));
        var lowered = Contributions(explainer.Explain([0.0, 2.0, 0.0, "b"]));
        var segmentA = Contributions(explainer.Explain([0.0, 0.0, 0.0, "a"]));

        Assert.True(high["raises"] > 1, $"raises at +2: {high["raises"]}");
        Assert.True(low["raises"] < -1, $"raises at -2: {low["raises"]}");
        Assert.True(lowered["lowers"] < -1, $"lowers at +2: {lowered["lowers"]}");
        Assert.True(segmentA["segment"] > segmentA.GetValueOrDefault("noise") + 0.5, $"segment a: {segmentA["segment"]}");
        Assert.True(Math.Abs(high.GetValueOrDefault("noise")) < Math.Abs(high["raises"]) / 5);
    }

    [Fact]
    public void Logistic_regression_contributions_sum_with_a_constant_to_the_log_odds()
    {
        // Linear: every derived slot (imputed value, missing indicator, one-hot) summed in leaves only the bias over.
        using var explainer = ModelExplainer.Create(Train(new LogisticRegressionCandidate(), CreditData()));
        object?[][] rows = [RiskyRow, SafeRow, [40, null, "parents", "no"], [null, 120.0, null, "yes"], [30, 90.0, "castle", "no"]];

        var residuals = rows.Select(row => explainer.Explain(row)).Select(e =>
        {
            Assert.Equal(Math.Log(e.Probability / (1 - e.Probability)), e.LogOdds, 3);
            return e.LogOdds - e.Contributions.Sum(c => c.Contribution);
        }).ToList();

        Assert.All(residuals, residual => Assert.Equal(residuals[0], residual, 3));
    }

    [Fact]
    public void The_layout_maps_each_derived_slot_to_its_input()
    {
        var model = Train(new LightGbmCandidate(), CreditData());
        var transformed = model.Transformer.Transform(model.InputSchema.ToDataView(model.Context, [])).Schema;

        var layout = ContributionLayout.For(model.InputSchema, transformed);

        // Age and Income imputed, their missing indicators, then Home's and Records' one-hot slots in vocabulary order.
        var homes = SyntheticCreditData.Homes.Length;
        Assert.Equal([0, 1, 0, 1], layout.SlotInputs.Take(4));
        Assert.Equal(homes, layout.SlotInputs.Count(input => input == 2));
        Assert.Equal(2, layout.SlotInputs.Count(input => input == 3));
        Assert.Equal(4 + homes + 2, layout.SlotInputs.Length);
    }

    [Theory]
    [MemberData(nameof(CandidateNames))]
    public void Every_candidate_kind_is_explained_with_the_known_effects(string name)
    {
        var model = Train(ModelCandidate.All.Single(candidate => candidate.Name == name), CreditData());
        using var explainer = ModelExplainer.Create(model);

        var risky = explainer.Explain(RiskyRow);
        var safe = explainer.Explain(SafeRow);

        Assert.Equal(model.ScoreMany([RiskyRow])[0], risky.Probability, 6);
        Assert.True(risky.Probability > safe.Probability);
        Assert.NotEmpty(risky.Contributions);
        Assert.Equal(risky.Contributions.OrderByDescending(c => Math.Abs(c.Contribution)).ToList(), risky.Contributions);
        Assert.All(risky.Contributions, c => Assert.NotEqual(0, c.Contribution));
        // Records = yes and renting raise the synthetic risk: they push this row's score up more than the safe row's.
        var riskyBy = Contributions(risky);
        var safeBy = Contributions(safe);
        Assert.True(riskyBy.GetValueOrDefault("Records") > safeBy.GetValueOrDefault("Records"), $"Records: {riskyBy.GetValueOrDefault("Records")} vs {safeBy.GetValueOrDefault("Records")}");
        Assert.True(riskyBy.Values.Sum() > safeBy.Values.Sum());
    }

    [Theory]
    [MemberData(nameof(CandidateNames))]
    public void A_saved_and_loaded_model_explains_identically(string name)
    {
        var model = Train(ModelCandidate.All.Single(candidate => candidate.Name == name), CreditData());
        var loaded = CreditRiskModel.Load(new MemoryStream(model.ToBytes()));
        using var before = ModelExplainer.Create(model);
        using var after = ModelExplainer.Create(loaded);

        foreach (var row in CreditData().Values.Take(40))
        {
            Assert.Equal(before.Explain(row), after.Explain(row), ExplanationComparer.Instance);
        }
    }

    [Theory]
    [InlineData("fasttree")]
    [InlineData("lightgbm")]
    public void Tree_contributions_walked_here_equal_ml_net_calculators(string name)
    {
        var model = Train(ModelCandidate.All.Single(candidate => candidate.Name == name), CreditData());
        using var walked = ModelExplainer.Create(model);
        using var calculated = ModelExplainer.Create(model, readableNames: null, walkTrees: false);
        object?[][] unusual = [[null, null, null, null], [40, null, "castle", "no"], [-5, 1e9, "rent", "maybe"]];

        Assert.True(walked.WalksTrees);
        Assert.False(calculated.WalksTrees);
        foreach (var row in CreditData().Values.Take(200).Concat(unusual))
        {
            var expected = calculated.Explain(row);
            var actual = walked.Explain(row);
            Assert.Equal(expected.Probability, actual.Probability);
            Assert.Equal(expected.LogOdds, actual.LogOdds);
            Assert.Equal(Contributions(expected).Keys.Order(), Contributions(actual).Keys.Order());
            foreach (var (input, contribution) in Contributions(expected))
            {
                // ML.NET sums each slot over the trees in float; the walk sums in double.
                Assert.True(Math.Abs(contribution - Contributions(actual)[input]) <= 1e-5 * Math.Max(1, Math.Abs(contribution)),
                    $"{input}: ML.NET {contribution}, walked {Contributions(actual)[input]}");
            }
        }
    }

    [Fact]
    public void Logistic_regression_keeps_ml_net_calculator()
    {
        using var explainer = ModelExplainer.Create(Train(new LogisticRegressionCandidate(), CreditData()));

        Assert.False(explainer.WalksTrees);
    }

    [Fact]
    public void Explanations_are_deterministic_across_calls_explainers_and_threads()
    {
        var model = Train(new FastTreeCandidate(), CreditData());
        using var first = ModelExplainer.Create(model);
        using var second = ModelExplainer.Create(model);
        var rows = CreditData().Values.Take(50).ToList();
        var expected = rows.Select(row => first.Explain(row)).ToList();

        var parallel = new ModelExplanation[rows.Count];
        Parallel.For(0, rows.Count * 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => parallel[i % rows.Count] = first.Explain(rows[i % rows.Count]));

        Assert.Equal(expected, rows.Select(row => first.Explain(row)), ExplanationComparer.Instance);
        Assert.Equal(expected, rows.Select(row => second.Explain(row)), ExplanationComparer.Instance);
        Assert.Equal(expected, parallel, ExplanationComparer.Instance);
    }

    [Fact]
    public void Names_come_from_the_map_else_from_the_input_name_and_top_limits_the_count()
    {
        var dataset = CreditData();
        var renamed = LabelledDataset.FromValues(
            [new FeatureColumn("applicant:age", ColumnKind.Numeric), new FeatureColumn("applicant:income_monthly", ColumnKind.Numeric),
             new FeatureColumn("applicant:home", ColumnKind.Categorical), new FeatureColumn("bureau:records", ColumnKind.Categorical)],
            dataset.Values, dataset.Labels, "Status", "bad");
        using var explainer = ModelExplainer.Create(
            Train(new LogisticRegressionCandidate(), renamed), new Dictionary<string, string> { ["bureau:records"] = "Arrears on record" });

        var all = explainer.Explain(new Dictionary<string, object?> { ["applicant:age"] = 22, ["applicant:income_monthly"] = 60.0, ["applicant:home"] = "rent", ["bureau:records"] = "yes" });
        var top2 = explainer.Explain(RiskyRow, top: 2);

        Assert.Equal(
            ["Age", "Income monthly", "Home", "Arrears on record"],
            all.Contributions.OrderBy(c => c.InputIndex).Select(c => c.ReadableName));
        Assert.Equal(all.Contributions.Take(2), top2.Contributions);
        Assert.Equal("bureau:records", all.Contributions.Single(c => c.InputIndex == 3).Input);
    }

    [Fact]
    public void A_row_of_the_wrong_length_is_refused()
    {
        using var explainer = ModelExplainer.Create(Train(new LogisticRegressionCandidate(), CreditData()));

        var error = Assert.Throws<ArgumentException>(() => explainer.Explain([1.0, 2.0]));

        Assert.Contains("2 values for a model with 4 inputs", error.Message);
    }

    private static Dictionary<string, double> Contributions(ModelExplanation explanation) =>
        explanation.Contributions.ToDictionary(c => c.Input, c => c.Contribution);

    private static CreditRiskModel Train(ModelCandidate candidate, LabelledDataset dataset) =>
        new CandidateTrainer(new TrainingSettings(Folds: 3, Seed: 1, Trials: 1), [candidate]).Train(dataset).Model;

    private static LabelledDataset CreditData() =>
        LabelledDataset.FromTable(TabularTable.Read(new StringReader(SyntheticCreditData.Csv(600, seed: 3))), "Status", "bad");

    /// <summary>Centred inputs with known effects: the label's log-odds are 1.5 raises - 1.5 lowers + 1 (segment a).</summary>
    private static LabelledDataset KnownEffects()
    {
        var random = new Random(11);
        var rows = new List<object?[]>();
        var labels = new List<bool>();
        for (var i = 0; i < 2000; i++)
        {
            double raises = Gaussian(random), lowers = Gaussian(random), noise = Gaussian(random);
            var segment = random.Next(2) == 0 ? "a" : "b";
            var logit = 1.5 * raises - 1.5 * lowers + (segment == "a" ? 0.5 : -0.5);
            rows.Add([raises, lowers, noise, segment]);
            labels.Add(random.NextDouble() < 1 / (1 + Math.Exp(-logit)));
        }
        return LabelledDataset.FromValues(
            [new FeatureColumn("raises", ColumnKind.Numeric), new FeatureColumn("lowers", ColumnKind.Numeric),
             new FeatureColumn("noise", ColumnKind.Numeric), new FeatureColumn("segment", ColumnKind.Categorical)],
            rows, labels, "label", "true");
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private sealed class ExplanationComparer : IEqualityComparer<ModelExplanation>
    {
        public static readonly ExplanationComparer Instance = new();

        public bool Equals(ModelExplanation? x, ModelExplanation? y) =>
            x is not null && y is not null && x.Probability == y.Probability && x.LogOdds == y.LogOdds && x.Contributions.SequenceEqual(y.Contributions);

        public int GetHashCode(ModelExplanation obj) => obj.Probability.GetHashCode();
    }
}
