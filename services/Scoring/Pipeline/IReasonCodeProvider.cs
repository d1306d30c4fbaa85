using CreditRisk.Contracts.Scoring.V1;
using CreditRisk.Scoring.Features;
using CreditRisk.Scoring.Models;

namespace CreditRisk.Scoring.Pipeline;

/// <summary>Explains one score: the inputs that moved it most, each with its signed contribution (positive raises the risk).</summary>
public interface IReasonCodeProvider
{
    IReadOnlyList<ReasonCode> Explain(LoadedModel model, AssembledFeatures features, double probability, int count);
}
