namespace CreditRisk.Scoring.Bench.Tests;

public sealed class ScoreRequestsTests
{
    internal static readonly string CreditData = Path.Combine(AppContext.BaseDirectory, "data", "credit_data.csv");

    [Fact]
    public void The_same_seed_gives_the_same_requests_and_another_seed_another_order()
    {
        var first = ScoreRequests.FromFile(CreditData, seed: 7);
        var again = ScoreRequests.FromFile(CreditData, seed: 7);
        var other = ScoreRequests.FromFile(CreditData, seed: 8);

        var indexes = Enumerable.Range(0, 200).Select(i => (long)i).ToList();
        Assert.Equal(indexes.Select(i => first.Get(i).Application), indexes.Select(i => again.Get(i).Application));
        Assert.Equal(indexes.Select(i => first.Get(i).CustomerId), indexes.Select(i => again.Get(i).CustomerId));
        Assert.NotEqual(indexes.Select(i => first.Get(i).CustomerId), indexes.Select(i => other.Get(i).CustomerId));
    }

    [Fact]
    public void Applications_repeat_after_the_file_but_request_ids_never_do_not_even_across_runs()
    {
        var requests = ScoreRequests.FromFile(CreditData, seed: 1, modelName: "credit-default");

        var first = requests.Get(3);
        var wrapped = requests.Get(3 + requests.Count);

        Assert.Equal(first.Application, wrapped.Application);
        Assert.Equal(first.CustomerId, wrapped.CustomerId);
        Assert.NotEqual(first.RequestId, wrapped.RequestId);
        Assert.NotEqual(first.RequestId, requests.Get(3).RequestId);
        Assert.NotEqual(first.RequestId, ScoreRequests.FromFile(CreditData, seed: 1).Get(3).RequestId);
        Assert.Equal("credit-default", wrapped.ModelName);
        Assert.Equal(4454, Enumerable.Range(0, requests.Count).Select(i => requests.Get(i).CustomerId).Distinct().Count());
    }

    [Fact]
    public void A_missing_income_stays_unset_rather_than_zero()
    {
        var requests = ScoreRequests.FromFile(CreditData, seed: 1);

        var applications = Enumerable.Range(0, requests.Count).Select(i => requests.Get(i).Application).ToList();

        // credit_data has 381 applications without an income (data/README.md).
        Assert.Equal(381, applications.Count(application => !application.HasIncome));
    }
}
