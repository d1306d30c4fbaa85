using System.Net;
using System.Net.Http.Json;
using CreditRisk.Contracts.Registry.V1;
using CreditRisk.Registry.Tests.Support;
using CreditRisk.Testing.Hosting;
using Grpc.Core;

namespace CreditRisk.Registry.Tests;

public sealed class AuthTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Calls_without_a_key_or_with_an_unknown_key_are_unauthenticated()
    {
        var none = await Seed.RefusedAsync(() => registry.Host.Client().GetRunAsync(new GetRunRequest { RunId = Guid.NewGuid().ToString() }, cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, none.StatusCode);
        Assert.Contains("x-api-key", none.Status.Detail);

        var unknown = await Seed.RefusedAsync(() => registry.Host.Client("not-a-key").CreateExperimentAsync(new CreateExperimentRequest { Name = "x" }, cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, unknown.StatusCode);

        var stream = await Seed.RefusedAsync(() => Seed.UploadAsync(registry.Host.Client(), Guid.NewGuid().ToString(), "a.bin", [1]));
        Assert.Equal(StatusCode.Unauthenticated, stream.StatusCode);
    }

    [Fact]
    public async Task Each_role_may_do_its_own_part_only()
    {
        var reader = registry.Host.Client(TestApiKeys.Reader);
        var writer = registry.Host.Client(TestApiKeys.Writer);
        var promoter = registry.Host.Client(TestApiKeys.Promoter);

        var readerWrites = await Seed.RefusedAsync(() => Seed.ExperimentAsync(reader));
        Assert.Equal(StatusCode.PermissionDenied, readerWrites.StatusCode);
        Assert.Contains("writer", readerWrites.Status.Detail);

        var (model, run, _) = await Seed.ModelWithVersionsAsync(writer, 1);
        Assert.Equal(run.RunId, (await reader.GetRunAsync(new GetRunRequest { RunId = run.RunId }, cancellationToken: Ct)).RunId);

        var writerPromotes = await Seed.RefusedAsync(() => writer.SetAliasAsync(new SetAliasRequest { ModelName = model, Alias = "champion", Version = 1 }, cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, writerPromotes.StatusCode);
        Assert.Contains("promoter", writerPromotes.Status.Detail);

        var promoterWrites = await Seed.RefusedAsync(() => promoter.LogBatchAsync(new LogBatchRequest { RunId = run.RunId }, cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, promoterWrites.StatusCode);

        var readerDownloads = reader.DownloadArtifact(new DownloadArtifactRequest { RunId = run.RunId, Path = "model/model.zip" }, cancellationToken: Ct);
        Assert.NotEmpty(await readerDownloads.ResponseStream.ReadAllAsync(Ct).ToListAsync(Ct));

        var move = await promoter.SetAliasAsync(new SetAliasRequest { ModelName = model, Alias = "champion", Version = 1 }, cancellationToken: Ct);
        Assert.Equal("release-manager", move.Actor);
    }

    [Fact]
    public async Task Rest_refuses_with_401_and_403_and_serves_the_right_key()
    {
        using var anonymous = registry.Host.Http();
        using var noKey = await anonymous.PostAsync("/api/v1/registry/CreateExperiment", JsonContent.Create(new { name = "x" }), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);

        using var reader = registry.Host.Http(TestApiKeys.Reader);
        using var denied = await reader.PostAsync("/api/v1/registry/CreateExperiment", JsonContent.Create(new { name = "x" }), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Contains("PermissionDenied", await denied.Content.ReadAsStringAsync(Ct));

        // Health stays open to probes.
        using var health = await anonymous.GetAsync("/health/live", Ct);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}
