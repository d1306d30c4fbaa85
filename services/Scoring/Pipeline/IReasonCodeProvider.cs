using CreditRisk.Scoring.Features;
using CreditRisk.Scoring.Models;

namespace CreditRisk.Scoring.Pipeline;

/// <summary>
/// Scores one vector and explains the score in the same model pass: the probability and the inputs that moved it most,
/// each with its signed contribution (positive raises the risk).
/// </summary>
public interface IReasonCodeProvider
{
    ExplainedScore Score(LoadedModel model, AssembledFeatures features, int count);
}
