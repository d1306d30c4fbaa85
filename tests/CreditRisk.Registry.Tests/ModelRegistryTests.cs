using CreditRisk.Contracts.Registry.V1;
using CreditRisk.Registry.Tests.Support;
using CreditRisk.Testing.Hosting;
using Grpc.Core;

namespace CreditRisk.Registry.Tests;

public sealed class ModelRegistryTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private readonly RegistryService.RegistryServiceClient _client = registry.Host.Admin;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Versions_are_numbered_in_order_and_carry_run_signature_metrics_and_profile()
    {
        var experiment = await Seed.ExperimentAsync(_client);
        var run = await Seed.RunAsync(_client, experiment.ExperimentId);
        await _client.LogBatchAsync(new LogBatchRequest { RunId = run.RunId, Metrics = { new Metric { Key = "auc", Value = 0.83 }, new Metric { Key = "ks", Value = 0.41 } } }, cancellationToken: Ct);
        var model = await Seed.UploadAsync(_client, run.RunId, "model/model.zip", "weights"u8.ToArray());
        var profile = await Seed.UploadAsync(_client, run.RunId, "reference/profile.json", "{\"bins\":[]}"u8.ToArray());
        var name = Seed.Unique("pd-model");

        var first = await _client.CreateModelVersionAsync(new CreateModelVersionRequest
        {
            ModelName = name,
            RunId = run.RunId,
            FeatureService = "credit_scoring",
            FeatureServiceVersion = 2,
            ArtifactSha256 = model.Sha256,
            ReferenceProfileSha256 = profile.Sha256,
            InputSchema = { new SchemaField { Name = "income", Type = "double" }, new SchemaField { Name = "age", Type = "int64" } },
        }, cancellationToken: Ct);
        var second = await _client.CreateModelVersionAsync(new CreateModelVersionRequest
        {
            ModelName = name,
            RunId = run.RunId,
            FeatureService = "credit_scoring",
            FeatureServiceVersion = 2,
            ArtifactSha256 = model.Sha256,
            Metrics = { ["auc"] = 0.9 },
        }, cancellationToken: Ct);

        Assert.Equal(1, first.Version);
        Assert.Equal(2, second.Version);
        var loaded = await _client.GetModelVersionAsync(new GetModelVersionRequest { ModelName = name, Version = 1 }, cancellationToken: Ct);
        Assert.Equal(run.RunId, loaded.RunId);
        Assert.Equal("credit_scoring", loaded.FeatureService);
        Assert.Equal(2, loaded.FeatureServiceVersion);
        Assert.Equal(model.Sha256, loaded.ArtifactSha256);
        Assert.Equal(profile.Sha256, loaded.ReferenceProfileSha256);
        Assert.Equal(["income", "age"], loaded.InputSchema.Select(field => field.Name));
        // Without explicit metrics a version takes its run's latest ones.
        Assert.Equal(0.83, loaded.Metrics["auc"]);
        Assert.Equal(0.41, loaded.Metrics["ks"]);
        Assert.Equal(0.9, second.Metrics["auc"]);
        var registered = await _client.GetRegisteredModelAsync(new GetRegisteredModelRequest { Name = name }, cancellationToken: Ct);
        Assert.Equal(2, registered.LatestVersion);
    }

    [Fact]
    public async Task A_version_needs_a_live_run_and_artifacts_the_registry_stored()
    {
        var (model, run, _) = await Seed.ModelWithVersionsAsync(_client, 0);
        var unknownArtifact = await Seed.RefusedAsync(() => _client.CreateModelVersionAsync(new CreateModelVersionRequest
        {
            ModelName = model,
            RunId = run.RunId,
            FeatureService = "credit_scoring",
            ArtifactSha256 = new string('f', 64),
            ReferenceProfileSha256 = new string('e', 64),
        }, cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, unknownArtifact.StatusCode);
        Assert.Contains("artifact_sha256", unknownArtifact.Status.Detail);
        Assert.Contains("reference_profile_sha256", unknownArtifact.Status.Detail);

        var bad = await Seed.RefusedAsync(() => _client.CreateModelVersionAsync(new CreateModelVersionRequest { ModelName = "bad name!" }, cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, bad.StatusCode);
        Assert.Contains("model_name:", bad.Status.Detail);
        Assert.Contains("run_id: required", bad.Status.Detail);
        Assert.Contains("feature_service: required", bad.Status.Detail);
        Assert.Contains("artifact_sha256:", bad.Status.Detail);
    }

    [Fact]
    public async Task Aliases_move_forward_and_back_with_an_audit_history()
    {
        var (model, _, _) = await Seed.ModelWithVersionsAsync(_client, 3);
        var promoter = registry.Host.Client(TestApiKeys.Promoter);

        var toOne = await promoter.SetAliasAsync(new SetAliasRequest { ModelName = model, Alias = "champion", Version = 1, Reason = "first model" }, cancellationToken: Ct);
        var toTwo = await promoter.SetAliasAsync(new SetAliasRequest { ModelName = model, Alias = "champion", Version = 2, Reason = "better auc" }, cancellationToken: Ct);
        await promoter.SetAliasAsync(new SetAliasRequest { ModelName = model, Alias = "challenger", Version = 3, Reason = "shadow" }, cancellationToken: Ct);
        var back = await promoter.SetAliasAsync(new SetAliasRequest { ModelName = model, Alias = "champion", Version = 1, Reason = "v2 drifted" }, cancellationToken: Ct);
        var same = await promoter.SetAliasAsync(new SetAliasRequest { ModelName = model, Alias = "champion", Version = 1, Reason = "retry" }, cancellationToken: Ct);

        Assert.Equal((0, 1, false), (toOne.FromVersion, toOne.ToVersion, toOne.IsRollback));
        Assert.Equal((1, 2, false), (toTwo.FromVersion, toTwo.ToVersion, toTwo.IsRollback));
        Assert.Equal((2, 1, true), (back.FromVersion, back.ToVersion, back.IsRollback));
        Assert.Equal("", same.EventId);

        var champion = await _client.GetModelVersionByAliasAsync(new GetModelVersionByAliasRequest { ModelName = model, Alias = "champion" }, cancellationToken: Ct);
        Assert.Equal(1, champion.Version);
        Assert.Contains("champion", champion.Aliases);
        var registered = await _client.GetRegisteredModelAsync(new GetRegisteredModelRequest { Name = model }, cancellationToken: Ct);
        Assert.Equal(1, registered.Aliases["champion"]);
        Assert.Equal(3, registered.Aliases["challenger"]);

        var history = await _client.ListAliasHistoryAsync(new ListAliasHistoryRequest { ModelName = model, Alias = "champion" }, cancellationToken: Ct);
        Assert.Equal([(0, 1), (1, 2), (2, 1)], history.Moves.Select(move => (move.FromVersion, move.ToVersion)));
        Assert.Equal(["first model", "better auc", "v2 drifted"], history.Moves.Select(move => move.Reason));
        Assert.All(history.Moves, move => Assert.Equal("release-manager", move.Actor));
        Assert.All(history.Moves, move => Assert.NotNull(move.MovedTime));
        Assert.Equal(4, (await _client.ListAliasHistoryAsync(new ListAliasHistoryRequest { ModelName = model }, cancellationToken: Ct)).Moves.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("champion!")]
    [InlineData("has space")]
    public async Task Alias_names_are_limited_to_letters_digits_underscore_and_dash(string alias)
    {
        var (model, _, _) = await Seed.ModelWithVersionsAsync(_client, 1);
        var refused = await Seed.RefusedAsync(() => _client.SetAliasAsync(new SetAliasRequest { ModelName = model, Alias = alias, Version = 1 }, cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("alias:", refused.Status.Detail);
    }

    [Fact]
    public async Task Alias_of_255_characters_is_fine_and_256_is_not()
    {
        var (model, _, _) = await Seed.ModelWithVersionsAsync(_client, 1);
        await _client.SetAliasAsync(new SetAliasRequest { ModelName = model, Alias = new string('a', 255), Version = 1 }, cancellationToken: Ct);
        var refused = await Seed.RefusedAsync(() => _client.SetAliasAsync(new SetAliasRequest { ModelName = model, Alias = new string('a', 256), Version = 1 }, cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        var missing = await Seed.RefusedAsync(() => _client.SetAliasAsync(new SetAliasRequest { ModelName = model, Alias = "champion", Version = 9 }, cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
    }
}
