using CreditRisk.Modeling.Data;
using Microsoft.ML;

namespace CreditRisk.Modeling.Explanations;

/// <summary>
/// Contributions walked over <see cref="TreePaths"/> from the feature vector the model scored, so the row passes through
/// ML.NET once, without its contribution calculator's per-row sparse buffers.
/// </summary>
internal sealed class TreePathContributions(PredictionEngine<ModelInputRow, ScoredFeaturesRow> engine, TreePaths trees) : IContributionEngine
{
    private ScoredFeaturesRow _output = new();

    public (float Probability, float Score) Run(ModelInputRow row, int[] slotInputs, double[] sums)
    {
        engine.Predict(row, ref _output);
        trees.AddContributions(_output.Features, slotInputs, sums);
        return (_output.Probability, _output.Score);
    }

    public void Dispose() => engine.Dispose();
}
