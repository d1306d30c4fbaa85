using CreditRisk.Modeling.Data;
using CreditRisk.Modeling.Models;
using CreditRisk.Modeling.Pipelines;
using CreditRisk.Modeling.Training;

namespace CreditRisk.Modeling.Tests;

/// <summary>What training imputed, declared in the signature, through save and load; and older signatures still load.</summary>
public sealed class SignatureDefaultsTests
{
    private static LabelledDataset Dataset() =>
        LabelledDataset.FromTable(TabularTable.Read(new StringReader(SyntheticCreditData.Csv(300, seed: 9))), "Status", "bad");

    [Fact]
    public void Each_inputs_default_is_what_training_imputed_and_survives_save_and_load()
    {
        var dataset = Dataset();
        var report = new CandidateTrainer(new TrainingSettings(Folds: 3, Seed: 1, Trials: 1), [new LogisticRegressionCandidate()]).Train(dataset);
        var model = report.Model.WithSignature(report.Model.Signature with { FeatureService = "credit_default_application", FeatureServiceVersion = 1 });

        using var file = new MemoryStream(model.ToBytes());
        var loaded = CreditRiskModel.Load(file);

        var incomes = dataset.Values.Select(row => row[1]).OfType<double>().ToList();
        Assert.True(incomes.Count < dataset.Count, "the synthetic data has missing incomes");
        var income = loaded.Signature.Inputs.Single(input => input.Name == "Income");
        Assert.Equal(InputDefault.MeanTreatment, income.Default!.Treatment);
        Assert.Equal(incomes.Select(value => (double)(float)value).Average(), income.Default.Value!.Value, 6);
        Assert.Equal("double", income.Type);
        var home = loaded.Signature.Inputs.Single(input => input.Name == "Home");
        Assert.Equal(InputDefault.UnseenZeroVectorTreatment, home.Default!.Treatment);
        Assert.Equal(SyntheticCreditData.Homes.Order(StringComparer.Ordinal), home.Default.Categories);
        Assert.False(home.Default.MissingSeen);
        Assert.Equal("credit_default_application", loaded.Signature.FeatureService);
        Assert.Equal(1, loaded.Signature.FeatureServiceVersion);

        // The declared default scores as a missing value does: the model imputes exactly that mean.
        var row = dataset.Values[0].ToArray();
        var withMissing = (object?[])row.Clone();
        withMissing[1] = null;
        var withMean = (object?[])row.Clone();
        withMean[1] = income.Default.Value;
        var scores = loaded.ScoreMany([withMissing, withMean]);
        Assert.NotEqual(scores[0], scores[1]);   // the missing indicator still counts
        Assert.InRange(Math.Abs(scores[0] - scores[1]), 0, 0.5);
    }

    [Fact]
    public void A_signature_saved_before_defaults_were_recorded_still_loads()
    {
        const string old = """
            {"inputs":[{"name":"Age","kind":"numeric"},{"name":"Home","kind":"categorical"}],
             "output":{"name":"probability","type":"float32","label_column":"Status","positive_label":"bad"},
             "trainer":"lightgbm","hyperparameters":{"leaves":8},"cross_validated_ro_c_auc":0.8}
            """;

        var signature = ModelSignature.FromJson(old);

        Assert.Equal(["Age", "Home"], signature.Inputs.Select(input => input.Name));
        Assert.Null(signature.Inputs[0].Default);
        Assert.Null(signature.Inputs[0].Type);
        Assert.Null(signature.FeatureService);
    }

    [Fact]
    public void A_new_signature_must_keep_the_inputs()
    {
        var report = new CandidateTrainer(new TrainingSettings(Folds: 3, Seed: 1, Trials: 1), [new LogisticRegressionCandidate()]).Train(Dataset());

        Assert.Throws<ArgumentException>(() => report.Model.WithSignature(report.Model.Signature with { Inputs = report.Model.Signature.Inputs.Skip(1).ToList() }));
    }
}
