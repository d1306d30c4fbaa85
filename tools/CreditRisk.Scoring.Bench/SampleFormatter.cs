using System.Globalization;
using CreditRisk.Contracts.Scoring.V1;

namespace CreditRisk.Scoring.Bench;

/// <summary>One scored application as the sample command prints it: the answer on one line, then its reasons with the value each had.</summary>
public static class SampleFormatter
{
    public static string Format(ScoreRequest request, ScoreResponse response)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture,
                $"{request.CustomerId,-16} PD {response.DefaultProbability:0.0000}  grade {response.RiskGrade}  {Decision(response.Decision),-7}  {response.ModelName} v{response.ModelVersion} ({response.Arm}){(response.Degraded ? "  degraded" : "")}"),
        };
        lines.AddRange(response.ReasonCodes.Select(reason => string.Create(CultureInfo.InvariantCulture,
            $"    {reason.Contribution,+8:+0.000;-0.000;0.000} log-odds  {reason.Description} = {Value(reason.Value)} ({reason.Feature})")));
        if (response.ReasonCodes.Count == 0)
        {
            lines.Add("    (no reason codes)");
        }
        return string.Join(Environment.NewLine, lines);
    }

    private static string Value(Contracts.Common.V1.FeatureValue? value) => value?.KindCase switch
    {
        Contracts.Common.V1.FeatureValue.KindOneofCase.DoubleValue => value.DoubleValue.ToString("0.###", CultureInfo.InvariantCulture),
        Contracts.Common.V1.FeatureValue.KindOneofCase.Int64Value => value.Int64Value.ToString(CultureInfo.InvariantCulture),
        Contracts.Common.V1.FeatureValue.KindOneofCase.StringValue => value.StringValue,
        Contracts.Common.V1.FeatureValue.KindOneofCase.BoolValue => value.BoolValue ? "yes" : "no",
        _ => "missing",
    };

    private static string Decision(Decision decision) => decision switch
    {
        Contracts.Scoring.V1.Decision.Approve => "approve",
        Contracts.Scoring.V1.Decision.Review => "review",
        Contracts.Scoring.V1.Decision.Decline => "decline",
        _ => decision.ToString().ToLowerInvariant(),
    };
}
