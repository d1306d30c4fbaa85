using System.IO.Hashing;
using System.Text;
using CreditRisk.Scoring.Models;

namespace CreditRisk.Scoring.Routing;

/// <summary>
/// Picks a live arm per customer: XxHash64 of the model name and customer id mapped to [0, 1) and looked up against the
/// arms' cumulative weights. Deterministic across requests, replicas and restarts, so a customer stays in one arm while
/// the split is unchanged; salting with the model name keeps two models' splits independent.
/// </summary>
public static class ArmRouter
{
    public static ArmModel Choose(ServingState state, string customerId)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.LiveArms.Count == 1)
        {
            return state.LiveArms[0];
        }
        var point = Point(state.ModelName, customerId);
        var cumulative = state.CumulativeWeights;
        for (var i = 0; i < cumulative.Count; i++)
        {
            if (point < cumulative[i])
            {
                return state.LiveArms[i];
            }
        }
        return state.LiveArms[^1];
    }

    /// <summary>The customer's stable point in [0, 1) for <paramref name="modelName"/>.</summary>
    public static double Point(string modelName, string customerId)
    {
        var length = Encoding.UTF8.GetByteCount(modelName) + 1 + Encoding.UTF8.GetByteCount(customerId);
        Span<byte> bytes = length <= 512 ? stackalloc byte[length] : new byte[length];
        var written = Encoding.UTF8.GetBytes(modelName, bytes);
        bytes[written++] = 0;
        Encoding.UTF8.GetBytes(customerId, bytes[written..]);
        // The top 53 bits make an exactly representable double in [0, 1).
        return (XxHash64.HashToUInt64(bytes) >> 11) * (1.0 / (1UL << 53));
    }
}
