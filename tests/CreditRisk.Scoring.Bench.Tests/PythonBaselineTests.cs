using CreditRisk.Benchmarking;
using CreditRisk.Contracts.Common.V1;
using CreditRisk.Contracts.Scoring.V1;

namespace CreditRisk.Scoring.Bench.Tests;

public sealed class PythonBaselineTests
{

    [Fact]
    public async Task The_baseline_answers_a_score_call()
    {
        var output = new StringWriter();
        await using var baseline = await PythonBaseline.StartAsync(
            DebianPython.Path, ScoreRequestsTests.CreditData, output, TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);
        // Only where Debian's python3-grpcio and python3-sklearn are installed; the bench then runs without the baseline.
        Assert.SkipWhen(baseline is null, output.ToString());

        using var target = new ScoringTarget("baseline", baseline!.Address, apiKey: null);
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(baseline.Address);
        var client = new ScoringService.ScoringServiceClient(channel);
        var risky = await client.ScoreAsync(Request("r-1", records: true, income: 60), cancellationToken: TestContext.Current.CancellationToken);
        var safe = await client.ScoreAsync(Request("r-2", records: false, income: 300), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("r-1", risky.RequestId);
        Assert.InRange(risky.DefaultProbability, 0, 1);
        Assert.True(risky.DefaultProbability > safe.DefaultProbability, $"{risky.DefaultProbability} vs {safe.DefaultProbability}");
        Assert.NotEqual(Decision.Unspecified, risky.Decision);
        await target.ScoreAsync(Request("r-3", records: false, income: 100), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_missing_python_gives_no_baseline_and_says_why()
    {
        var output = new StringWriter();

        var baseline = await PythonBaseline.StartAsync(
            "/nonexistent/python3", ScoreRequestsTests.CreditData, output, TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Null(baseline);
        Assert.Contains("baseline skipped", output.ToString());
    }

    private static ScoreRequest Request(string id, bool records, double income) => new()
    {
        RequestId = id,
        CustomerId = "customer-1",
        Application = new LoanApplication
        {
            Amount = 1_500, TermMonths = 60, Price = 1_600, Income = income, Expenses = 75, Assets = 0, Debt = 0,
            AgeYears = 25, SeniorityYears = records ? 0 : 15, Home = records ? HomeOwnership.Rent : HomeOwnership.Owner,
            Marital = MaritalStatus.Single, Job = records ? JobType.PartTime : JobType.Fixed, HasPriorDefaultRecords = records,
        },
    };
}
