using CreditRisk.Benchmarking;
using CreditRisk.Modeling.Data;
using CreditRisk.Modeling.Evaluation;

namespace CreditRisk.Training.Bench.Tests;

public sealed class SklearnBaselineTests
{

    private static readonly string CreditData = Path.Combine(AppContext.BaseDirectory, "data", "credit_data.csv");

    [Fact]
    public void A_missing_python_is_reported_and_gives_no_result()
    {
        var output = new StringWriter();

        var result = SklearnBaseline.Run("/nonexistent/python3", CreditData, "Status", "bad", new int[4454], output);

        Assert.Null(result);
        Assert.Contains("scikit-learn side skipped", output.ToString());
    }

    [Fact]
    public void The_script_scores_both_models_on_the_bench_s_folds()
    {
        var output = new StringWriter();
        var dataset = LabelledDataset.FromTable(TabularTable.ReadFile(CreditData), "Status", "bad");
        var folds = StratifiedFolds.Assign(dataset.Labels, 5, 42);

        var result = SklearnBaseline.Run(DebianPython.Path, CreditData, "Status", "bad", folds, output);

        // Only where Debian's python3-sklearn is installed; elsewhere the bench goes on without it, as checked above.
        Assert.SkipWhen(result is null, output.ToString());
        Assert.Equal(["hist-gradient-boosting", "logistic-regression"], result!.Models.Select(model => model.Name));
        Assert.All(result.Models, model => Assert.InRange(model.CvRocAuc, 0.80, 0.87));
    }
}
