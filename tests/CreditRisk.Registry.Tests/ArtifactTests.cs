using System.Net;
using System.Security.Cryptography;
using CreditRisk.Contracts.Registry.V1;
using CreditRisk.Registry.Tests.Support;
using CreditRisk.Testing.Hosting;
using Grpc.Core;

namespace CreditRisk.Registry.Tests;

public sealed class ArtifactTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private readonly RegistryService.RegistryServiceClient _client = registry.Host.Admin;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<Run> NewRunAsync() => await Seed.RunAsync(_client, (await Seed.ExperimentAsync(_client)).ExperimentId);

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public async Task Upload_and_download_round_trip_with_the_sha256_checksum()
    {
        var run = await NewRunAsync();
        var content = RandomBytes(1_000_003);
        var expectedSha = Convert.ToHexStringLower(SHA256.HashData(content));

        var info = await Seed.UploadAsync(_client, run.RunId, "model/model.zip", content, chunkSize: 100_000, expectedSha256: expectedSha);
        Assert.Equal(expectedSha, info.Sha256);
        Assert.Equal(content.Length, info.SizeBytes);

        using var download = _client.DownloadArtifact(new DownloadArtifactRequest { RunId = run.RunId, Path = "model/model.zip" }, cancellationToken: Ct);
        using var received = new MemoryStream();
        ArtifactChunk? first = null;
        await foreach (var chunk in download.ResponseStream.ReadAllAsync(Ct))
        {
            first ??= chunk;
            chunk.Data.WriteTo(received);
        }
        Assert.NotNull(first);
        Assert.Equal(expectedSha, first.Sha256);
        Assert.Equal(content.Length, first.SizeBytes);
        Assert.Equal(content, received.ToArray());
        Assert.Equal(expectedSha, Convert.ToHexStringLower(SHA256.HashData(received.ToArray())));

        // Stored under its digest, once, whatever the path.
        var stored = Path.Combine(registry.Host.ArtifactRoot, expectedSha[..2], expectedSha[2..4], expectedSha);
        Assert.Equal(content, await File.ReadAllBytesAsync(stored, Ct));
        await Seed.UploadAsync(_client, run.RunId, "copy/model.zip", content);
        var listed = await _client.ListArtifactsAsync(new ListArtifactsRequest { RunId = run.RunId }, cancellationToken: Ct);
        Assert.Equal(["copy/model.zip", "model/model.zip"], listed.Artifacts.Select(a => a.Path));
        Assert.All(listed.Artifacts, artifact => Assert.Equal(expectedSha, artifact.Sha256));
        Assert.Single(Directory.GetFiles(registry.Host.ArtifactRoot, expectedSha, SearchOption.AllDirectories));
    }

    [Fact]
    public async Task An_empty_artifact_round_trips()
    {
        var run = await NewRunAsync();
        var info = await Seed.UploadAsync(_client, run.RunId, "empty.txt", []);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData([])), info.Sha256);

        using var download = _client.DownloadArtifact(new DownloadArtifactRequest { RunId = run.RunId, Path = "empty.txt" }, cancellationToken: Ct);
        var chunks = await download.ResponseStream.ReadAllAsync(Ct).ToListAsync(Ct);
        Assert.Equal(info.Sha256, chunks[0].Sha256);
        Assert.All(chunks, chunk => Assert.True(chunk.Data.IsEmpty));
    }

    [Fact]
    public async Task A_checksum_mismatch_is_refused_and_records_nothing()
    {
        var run = await NewRunAsync();
        var refused = await Seed.RefusedAsync(() => Seed.UploadAsync(_client, run.RunId, "model.bin", RandomBytes(1000), expectedSha256: new string('0', 64)));
        Assert.Equal(StatusCode.DataLoss, refused.StatusCode);
        Assert.Contains("sha256", refused.Status.Detail);

        var listed = await _client.ListArtifactsAsync(new ListArtifactsRequest { RunId = run.RunId }, cancellationToken: Ct);
        Assert.Empty(listed.Artifacts);
    }

    [Fact]
    public async Task The_size_limit_is_enforced_while_streaming()
    {
        await using var small = await RegistryHost.StartAsync(registry.Postgres.ConnectionString, registry.Broker.BootstrapServers, maxArtifactBytes: 10_000);
        var client = small.Admin;
        var run = await Seed.RunAsync(client, (await Seed.ExperimentAsync(client)).ExperimentId);

        var refused = await Seed.RefusedAsync(() => Seed.UploadAsync(client, run.RunId, "big.bin", RandomBytes(10_001), chunkSize: 4096));
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Contains("10000", refused.Status.Detail);
        Assert.Empty(Directory.GetFiles(Path.Combine(small.ArtifactRoot, "incoming")));

        var fits = await Seed.UploadAsync(client, run.RunId, "fits.bin", RandomBytes(10_000));
        Assert.Equal(10_000, fits.SizeBytes);
    }

    [Fact]
    public async Task Unsafe_paths_and_unknown_runs_are_refused()
    {
        var run = await NewRunAsync();
        var traversal = await Seed.RefusedAsync(() => Seed.UploadAsync(_client, run.RunId, "../../etc/passwd", [1]));
        Assert.Equal(StatusCode.InvalidArgument, traversal.StatusCode);
        Assert.Contains("path:", traversal.Status.Detail);

        var unknown = await Seed.RefusedAsync(() => Seed.UploadAsync(_client, Guid.NewGuid().ToString(), "a.bin", [1]));
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Rest_put_and_get_stream_raw_bytes_with_the_digest()
    {
        var run = await NewRunAsync();
        var content = RandomBytes(200_000);
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        using var http = registry.Host.Http(TestApiKeys.Writer);

        using var put = await http.PutAsync($"/api/v1/runs/{run.RunId}/artifacts/reports/eval.bin", new ByteArrayContent(content), Ct);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Contains(sha, await put.Content.ReadAsStringAsync(Ct));

        using var get = await http.GetAsync($"/api/v1/runs/{run.RunId}/artifacts/reports/eval.bin", Ct);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(sha, get.Headers.GetValues("x-content-sha256").Single());
        Assert.Equal(content, await get.Content.ReadAsByteArrayAsync(Ct));
    }
}
