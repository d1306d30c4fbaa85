using CreditRisk.Modeling.Data;
using CreditRisk.Modeling.Pipelines;
using CreditRisk.Modeling.Search;
using Microsoft.ML;

namespace CreditRisk.Modeling.Evaluation;

/// <summary>Fits a candidate on k-1 folds and scores the held-out fold, for every fold; the whole pipeline is refitted per fold.</summary>
public sealed class CrossValidator(MLContext context, LabelledDataset dataset, int[] foldOfRow, int seed)
{
    public int Folds { get; } = foldOfRow.Max() + 1;

    public CrossValidationResult Evaluate(ModelCandidate candidate, Hyperparameters parameters)
    {
        var perFold = new List<BinaryMetrics>(Folds);
        for (var fold = 0; fold < Folds; fold++)
        {
            var trainRows = new List<ModelInputRow>();
            var testRows = new List<ModelInputRow>();
            var testLabels = new List<bool>();
            for (var i = 0; i < dataset.Count; i++)
            {
                if (foldOfRow[i] == fold)
                {
                    testRows.Add(dataset.Rows[i]);
                    testLabels.Add(dataset.Labels[i]);
                }
                else
                {
                    trainRows.Add(dataset.Rows[i]);
                }
            }
            var model = candidate.CreatePipeline(context, dataset.Schema, parameters, seed)
                .Fit(dataset.Schema.ToDataView(context, trainRows));
            var probabilities = ModelScoring.Probabilities(model.Transform(dataset.Schema.ToDataView(context, testRows)));
            perFold.Add(BinaryMetrics.Compute(testLabels, probabilities));
        }
        return new CrossValidationResult(parameters, perFold, BinaryMetrics.Mean(perFold));
    }
}
