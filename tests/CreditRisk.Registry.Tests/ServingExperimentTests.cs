using CreditRisk.Contracts.Events.V1;
using CreditRisk.Contracts.Registry.V1;
using CreditRisk.Contracts.Topics;
using CreditRisk.Registry.Tests.Support;
using CreditRisk.Testing.Hosting;
using CreditRisk.Testing.Kafka;
using Grpc.Core;

namespace CreditRisk.Registry.Tests;

/// <summary>
/// A model's serving experiment: declared at run time by a promoter, validated, audited revision by revision and
/// broadcast as one ServingExperimentChanged per committed change.
/// </summary>
public sealed class ServingExperimentTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private RegistryService.RegistryServiceClient Promoter => registry.Host.Client(TestApiKeys.Promoter);

    private static ServingArm Arm(string name, string alias, double weight, bool shadow = false) =>
        new() { Name = name, Alias = alias, Weight = weight, Shadow = shadow };

    private static ServingArm Pinned(string name, int version, double weight) => new() { Name = name, Version = version, Weight = weight };

    [Fact]
    public async Task A_model_without_an_experiment_serves_everything_to_its_champion()
    {
        var (model, _, _) = await Seed.ModelWithVersionsAsync(registry.Host.Admin, 1);

        var experiment = await registry.Host.Client(TestApiKeys.Reader).GetServingExperimentAsync(new GetServingExperimentRequest { ModelName = model }, cancellationToken: Ct);

        Assert.Equal(0, experiment.Revision);
        var arm = Assert.Single(experiment.Arms);
        Assert.Equal(("champion", "champion", 1.0, false), (arm.Name, arm.Alias, arm.Weight, arm.Shadow));
    }

    [Fact]
    public async Task Each_change_is_a_revision_in_the_history_and_one_event_and_a_repeated_change_is_none()
    {
        var (model, _, _) = await Seed.ModelWithVersionsAsync(registry.Host.Admin, 2);
        var canary = new SetServingExperimentRequest
        {
            ModelName = model, Reason = "10% canary of version 2",
            Arms = { Arm("champion", "champion", 0.9), Pinned("canary", 2, 0.1) },
        };
        var shadow = new SetServingExperimentRequest
        {
            ModelName = model, Reason = "challenger in shadow", ExpectedRevision = 1,
            Arms = { Arm("champion", "champion", 1), Arm("shadow", "challenger", 0, shadow: true) },
        };

        var first = await Promoter.SetServingExperimentAsync(canary, cancellationToken: Ct);
        var retried = await Promoter.SetServingExperimentAsync(canary, cancellationToken: Ct);
        var second = await Promoter.SetServingExperimentAsync(shadow, cancellationToken: Ct);

        Assert.Equal((1L, 1L, 2L), (first.Revision, retried.Revision, second.Revision));
        Assert.Equal("release-manager", first.Actor);
        var current = await Promoter.GetServingExperimentAsync(new GetServingExperimentRequest { ModelName = model }, cancellationToken: Ct);
        Assert.Equal(shadow.Arms, current.Arms);
        var history = await Promoter.ListServingExperimentHistoryAsync(new ListServingExperimentHistoryRequest { ModelName = model }, cancellationToken: Ct);
        Assert.Equal([1L, 2L], history.Changes.Select(change => change.Revision));
        Assert.Equal(["10% canary of version 2", "challenger in shadow"], history.Changes.Select(change => change.Reason));

        List<ServingExperimentChanged> Events() => [.. TopicReader.ReadEvents<ServingExperimentChanged>(registry.Broker.BootstrapServers, TopicCatalogue.ServingExperiments.Name)
            .Select(record => record.Event).Where(e => e.ModelName == model)];
        await Eventually.ThatAsync(() => Task.FromResult(Events().Count >= 2), Deadline, "both changes to be relayed");
        var events = Events();
        Assert.Equal([first.EventId, second.EventId], events.Select(e => e.Envelope.EventId));
        Assert.Equal(canary.Arms, events[0].Arms);
        Assert.Equal((2L, "release-manager"), (events[1].Revision, events[1].Actor));
    }

    [Fact]
    public async Task A_stale_expected_revision_is_refused_and_changes_nothing()
    {
        var (model, _, _) = await Seed.ModelWithVersionsAsync(registry.Host.Admin, 1);
        await Promoter.SetServingExperimentAsync(new SetServingExperimentRequest { ModelName = model, Arms = { Arm("champion", "champion", 1) } }, cancellationToken: Ct);

        var stale = await Assert.ThrowsAsync<RpcException>(() => Promoter.SetServingExperimentAsync(new SetServingExperimentRequest
        {
            ModelName = model, ExpectedRevision = 7, Arms = { Arm("a", "champion", 0.5), Arm("b", "challenger", 0.5) },
        }, cancellationToken: Ct).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, stale.StatusCode);
        Assert.Contains("revision 1", stale.Status.Detail, StringComparison.Ordinal);
        var current = await Promoter.GetServingExperimentAsync(new GetServingExperimentRequest { ModelName = model }, cancellationToken: Ct);
        Assert.Equal(1, current.Revision);
    }

    public static TheoryData<string, string> BadExperiments => new()
    {
        { "no arms", "arms" },
        { "weights sum to 0.8", "arms" },
        { "two arms named alike", "arms[1].name" },
        { "an arm without a target", "arms[0].target" },
        { "a weight above 1", "arms[0].weight" },
        { "a shadow with a weight", "arms[1].weight" },
        { "two shadows", "arms" },
        { "a bad alias", "arms[0].alias" },
        { "a version that does not exist", "arms[1].version" },
    };

    [Theory]
    [MemberData(nameof(BadExperiments))]
    public async Task A_bad_experiment_is_invalid_naming_the_field(string badExperiment, string field)
    {
        var (model, _, _) = await Seed.ModelWithVersionsAsync(registry.Host.Admin, 1);
        var request = new SetServingExperimentRequest { ModelName = model };
        request.Arms.Add(badExperiment switch
        {
            "no arms" => [],
            "weights sum to 0.8" => [Arm("a", "champion", 0.5), Arm("b", "challenger", 0.3)],
            "two arms named alike" => [Arm("a", "champion", 0.5), Arm("a", "challenger", 0.5)],
            "an arm without a target" => [new ServingArm { Name = "a", Weight = 1 }],
            "a weight above 1" => [Arm("a", "champion", 1.5)],
            "a shadow with a weight" => [Arm("a", "champion", 1), Arm("s", "challenger", 0.2, shadow: true)],
            "two shadows" => [Arm("a", "champion", 1), Arm("s", "challenger", 0, shadow: true), Arm("t", "canary", 0, shadow: true)],
            "a bad alias" => [Arm("a", "champ ion", 1)],
            _ => [Arm("a", "champion", 0.5), Pinned("b", 99, 0.5)],
        });

        var invalid = await Assert.ThrowsAsync<RpcException>(() => Promoter.SetServingExperimentAsync(request, cancellationToken: Ct).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, invalid.StatusCode);
        Assert.Contains(field, invalid.Status.Detail, StringComparison.Ordinal);
        var current = await Promoter.GetServingExperimentAsync(new GetServingExperimentRequest { ModelName = model }, cancellationToken: Ct);
        Assert.Equal(0, current.Revision);
    }

    [Fact]
    public async Task Only_a_promoter_may_change_the_experiment_and_an_unknown_model_is_not_found()
    {
        var (model, _, _) = await Seed.ModelWithVersionsAsync(registry.Host.Admin, 1);
        var request = new SetServingExperimentRequest { ModelName = model, Arms = { Arm("champion", "champion", 1) } };

        var writer = await Assert.ThrowsAsync<RpcException>(() =>
            registry.Host.Client(TestApiKeys.Writer).SetServingExperimentAsync(request, cancellationToken: Ct).ResponseAsync);
        var unknown = await Assert.ThrowsAsync<RpcException>(() =>
            Promoter.GetServingExperimentAsync(new GetServingExperimentRequest { ModelName = "no-such-model" }, cancellationToken: Ct).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, writer.StatusCode);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task The_experiment_is_readable_over_rest()
    {
        var (model, _, _) = await Seed.ModelWithVersionsAsync(registry.Host.Admin, 1);
        using var http = registry.Host.Http(TestApiKeys.Reader);

        var json = await http.GetStringAsync($"/api/v1/models/{model}/serving-experiment", Ct);

        Assert.Contains("\"revision\": \"0\"", json, StringComparison.Ordinal);
        Assert.Contains("\"alias\": \"champion\"", json, StringComparison.Ordinal);
    }
}
