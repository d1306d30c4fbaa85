using CreditRisk.Contracts.Events.V1;
using CreditRisk.Contracts.Registry.V1;
using CreditRisk.Contracts.Scoring.V1;
using CreditRisk.Scoring.Grpc;
using CreditRisk.Scoring.Models;
using CreditRisk.Scoring.Tests.Support;
using CreditRisk.Testing.Hosting;
using CreditRisk.Testing.Kafka;
using static CreditRisk.Scoring.Tests.Support.ScoringEnvironment;

namespace CreditRisk.Scoring.Tests;

/// <summary>Serving experiments set in the registry: A/B arms per customer, and a shadow arm that is logged but never returned.</summary>
public sealed class ExperimentTests(DevBrokerFixture broker) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly ScoringEnvironment _environment = new(broker);

    public ValueTask InitializeAsync() => _environment.InitializeAsync();

    public ValueTask DisposeAsync() => _environment.DisposeAsync();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_ab_experiment_gives_each_customer_one_arm_and_its_version()
    {
        var (v1, v2, scoring) = await StartAsync();

        await SetAsync(
            new ServingArm { Name = "champion", Alias = "champion", Weight = 0.5 },
            new ServingArm { Name = "challenger", Version = v2, Weight = 0.5 });
        await AppliedAsync(scoring, revision: 1);

        var client = Client(scoring);
        var arms = new Dictionary<string, string>();
        for (var i = 0; i < 60; i++)
        {
            var customer = $"ab-{i}";
            var response = await client.ScoreAsync(Request(customer), cancellationToken: Cancellation);
            Assert.Equal(response.Arm == "champion" ? v1 : v2, response.ModelVersion);
            arms[customer] = response.Arm;
        }
        foreach (var (customer, arm) in arms.Take(20))
        {
            Assert.Equal(arm, (await client.ScoreAsync(Request(customer), cancellationToken: Cancellation)).Arm);
        }
        Assert.Contains("champion", arms.Values);
        Assert.Contains("challenger", arms.Values);
    }

    [Fact]
    public async Task A_shadow_arm_is_logged_with_served_false_and_never_returned()
    {
        var (v1, v2, scoring) = await StartAsync();

        await SetAsync(
            new ServingArm { Name = "champion", Alias = "champion", Weight = 1 },
            new ServingArm { Name = "shadow", Version = v2, Weight = 0, Shadow = true });
        await AppliedAsync(scoring, revision: 1);

        var client = Client(scoring);
        var requests = Enumerable.Range(0, 20).Select(i => Request($"shadow-{i}")).ToList();
        var responses = new List<ScoreResponse>();
        foreach (var request in requests)
        {
            responses.Add(await client.ScoreAsync(request, cancellationToken: Cancellation));
        }
        Assert.All(responses, response => Assert.Equal(("champion", v1), (response.Arm, response.ModelVersion)));

        var ids = requests.Select(request => request.RequestId).ToHashSet();
        List<PredictionLogged> logged = [];
        await Eventually.ThatAsync(() =>
        {
            logged = [.. _environment.Predictions().Where(prediction => ids.Contains(prediction.RequestId))];
            return logged.Count >= 2 * requests.Count;
        }, Deadline, "served and shadow predictions on the topic");

        foreach (var request in requests)
        {
            var both = logged.Where(prediction => prediction.RequestId == request.RequestId).ToList();
            var served = Assert.Single(both, prediction => prediction.Served);
            var shadow = Assert.Single(both, prediction => !prediction.Served);
            Assert.Equal(("champion", v1), (served.Variant, served.ModelVersion));
            Assert.Equal(("shadow", v2), (shadow.Variant, shadow.ModelVersion));
            Assert.NotEqual(served.PredictionId, shadow.PredictionId);
            Assert.Equal(responses.Single(response => response.RequestId == request.RequestId).PredictionId, served.PredictionId);
            Assert.DoesNotContain(responses, response => response.PredictionId == shadow.PredictionId);
        }
    }

    private async Task<(int V1, int V2, ServiceHost<ScoringGrpcService> Scoring)> StartAsync()
    {
        var v1 = await _environment.RegisterAsync(TestModels.ModelA);
        var v2 = await _environment.RegisterAsync(TestModels.ModelB);
        await _environment.PromoteAsync(v1);
        return (v1, v2, await _environment.StartReadyScoringAsync());
    }

    private Task<ServingExperiment> SetAsync(params ServingArm[] arms) =>
        _environment.RegistryAdmin.SetServingExperimentAsync(new SetServingExperimentRequest { ModelName = _environment.ModelName, Arms = { arms }, Reason = "test" },
            cancellationToken: Cancellation).ResponseAsync;

    private Task AppliedAsync(ServiceHost<ScoringGrpcService> scoring, long revision) =>
        Eventually.ThatAsync(() => scoring.Get<ServedModels>().StateOf(_environment.ModelName)?.Revision == revision, Deadline, $"revision {revision} applied");
}
