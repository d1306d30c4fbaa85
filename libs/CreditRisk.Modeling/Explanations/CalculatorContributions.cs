using CreditRisk.Modeling.Data;
using Microsoft.ML;

namespace CreditRisk.Modeling.Explanations;

/// <summary>Contributions from ML.NET's feature contribution calculator appended to the model: any model kind it explains.</summary>
internal sealed class CalculatorContributions(PredictionEngine<ModelInputRow, ExplainedRow> engine) : IContributionEngine
{
    private ExplainedRow _output = new();

    public (float Probability, float Score) Run(ModelInputRow row, int[] slotInputs, double[] sums)
    {
        engine.Predict(row, ref _output);
        var contributions = _output.FeatureContributions;
        for (var slot = 0; slot < contributions.Length; slot++)
        {
            sums[slotInputs[slot]] += contributions[slot];
        }
        return (_output.Probability, _output.Score);
    }

    public void Dispose() => engine.Dispose();
}
