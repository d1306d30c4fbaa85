using Microsoft.ML.Data;
using Microsoft.ML;

namespace CreditRisk.Modeling.Evaluation;

internal static class ModelScoring
{
    public const string ProbabilityColumn = "Probability";

    public static double[] Probabilities(IDataView scored) =>
        scored.GetColumn<float>(ProbabilityColumn).Select(p => (double)p).ToArray();
}
