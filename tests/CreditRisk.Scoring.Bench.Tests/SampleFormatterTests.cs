using CreditRisk.Contracts.Scoring.V1;

namespace CreditRisk.Scoring.Bench.Tests;

public sealed class SampleFormatterTests
{
    private static readonly ScoreRequest Request = new() { RequestId = "r-1", CustomerId = "customer-12" };

    [Fact]
    public void An_answer_is_one_line_then_a_signed_line_per_reason_with_its_value()
    {
        var response = new ScoreResponse
        {
            DefaultProbability = 0.123456, RiskGrade = "C", Decision = Decision.Review, ModelName = "credit_default", ModelVersion = 3, Arm = "champion",
            ReasonCodes =
            {
                new ReasonCode { Feature = "application:amount", Description = "Requested loan amount", Contribution = 0.8123, Value = new() { DoubleValue = 2500.5 } },
                new ReasonCode { Feature = "application:income", Description = "Monthly income", Contribution = -0.4 },
                new ReasonCode { Feature = "application:job", Description = "Job", Contribution = 0.25, Value = new() { StringValue = "partime" } },
            },
        };

        var lines = SampleFormatter.Format(Request, response).Split(Environment.NewLine);

        Assert.Equal(4, lines.Length);
        Assert.Equal("customer-12      PD 0.1235  grade C  review   credit_default v3 (champion)", lines[0]);
        Assert.Equal("      +0.812 log-odds  Requested loan amount = 2500.5 (application:amount)", lines[1]);
        Assert.Equal("      -0.400 log-odds  Monthly income = missing (application:income)", lines[2]);
        Assert.Equal("      +0.250 log-odds  Job = partime (application:job)", lines[3]);
    }

    [Fact]
    public void A_degraded_answer_without_reasons_says_so()
    {
        var response = new ScoreResponse { DefaultProbability = 0.5, RiskGrade = "E", Decision = Decision.Decline, ModelName = "m", ModelVersion = 1, Arm = "a", Degraded = true };

        var lines = SampleFormatter.Format(Request, response).Split(Environment.NewLine);

        Assert.EndsWith("decline  m v1 (a)  degraded", lines[0]);
        Assert.Equal("    (no reason codes)", lines[1]);
    }
}
