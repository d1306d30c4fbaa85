using CreditRisk.Contracts.Scoring.V1;
using CreditRisk.Scoring.Options;
using Microsoft.Extensions.Options;

namespace CreditRisk.Scoring.Pipeline;

/// <summary>Approve below Scoring:Decision:ApproveBelow, decline from DeclineFrom, review between; a degraded score is always reviewed.</summary>
public sealed class DecisionPolicy
{
    private readonly DecisionThresholds _thresholds;

    public DecisionPolicy(IOptions<ScoringOptions> options)
    {
        _thresholds = options.Value.Decision;
        if (_thresholds.ApproveBelow is < 0 or > 1 || _thresholds.DeclineFrom is < 0 or > 1 || _thresholds.ApproveBelow > _thresholds.DeclineFrom)
        {
            throw new InvalidOperationException("Scoring:Decision: need 0 <= ApproveBelow <= DeclineFrom <= 1");
        }
    }

    public Decision Decide(double probability, bool degraded) =>
        degraded ? Decision.Review
        : probability < _thresholds.ApproveBelow ? Decision.Approve
        : probability >= _thresholds.DeclineFrom ? Decision.Decline
        : Decision.Review;
}
