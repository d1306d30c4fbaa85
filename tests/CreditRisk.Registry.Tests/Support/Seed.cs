using CreditRisk.Contracts.Registry.V1;
using Google.Protobuf;
using Grpc.Core;

namespace CreditRisk.Registry.Tests.Support;

/// <summary>Small helpers to create what a test needs through the public API.</summary>
public static class Seed
{
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public static async Task<Experiment> ExperimentAsync(RegistryService.RegistryServiceClient client, string? name = null) =>
        await client.CreateExperimentAsync(new CreateExperimentRequest { Name = name ?? Unique("exp") }, cancellationToken: TestContext.Current.CancellationToken);

    public static async Task<Run> RunAsync(RegistryService.RegistryServiceClient client, string experimentId, string? name = null) =>
        await client.CreateRunAsync(new CreateRunRequest { ExperimentId = experimentId, Name = name ?? "" }, cancellationToken: TestContext.Current.CancellationToken);

    public static async Task<ArtifactInfo> UploadAsync(RegistryService.RegistryServiceClient client, string runId, string path, byte[] content,
        int chunkSize = 64 * 1024, string expectedSha256 = "")
    {
        using var call = client.UploadArtifact(cancellationToken: TestContext.Current.CancellationToken);
        try
        {
            await call.RequestStream.WriteAsync(new ArtifactChunk { RunId = runId, Path = path, Sha256 = expectedSha256 });
            for (var offset = 0; offset < content.Length; offset += chunkSize)
            {
                var length = Math.Min(chunkSize, content.Length - offset);
                await call.RequestStream.WriteAsync(new ArtifactChunk { Data = ByteString.CopyFrom(content, offset, length) });
            }
            await call.RequestStream.CompleteAsync();
        }
        catch (Exception exception) when (exception is RpcException or InvalidOperationException)
        {
            // The server ended the call while we were still writing (a refusal before reading the stream): a write
            // then fails with the client's view (often CANCELLED); the server's status is the call's result below.
        }
        return await call;
    }

    /// <summary>An experiment, a run with a model artifact, and <paramref name="versions"/> versions of a fresh model.</summary>
    public static async Task<(string Model, Run Run, string ArtifactSha)> ModelWithVersionsAsync(RegistryService.RegistryServiceClient client, int versions)
    {
        var experiment = await ExperimentAsync(client);
        var run = await RunAsync(client, experiment.ExperimentId);
        var artifact = await UploadAsync(client, run.RunId, "model/model.zip", System.Text.Encoding.UTF8.GetBytes("model " + run.RunId));
        var model = Unique("model");
        for (var i = 0; i < versions; i++)
        {
            await client.CreateModelVersionAsync(new CreateModelVersionRequest
            {
                ModelName = model,
                RunId = run.RunId,
                FeatureService = "credit_scoring",
                FeatureServiceVersion = 1,
                ArtifactSha256 = artifact.Sha256,
            }, cancellationToken: TestContext.Current.CancellationToken);
        }
        return (model, run, artifact.Sha256);
    }

    public static async Task<RpcException> RefusedAsync(Func<Task> call)
    {
        return await Assert.ThrowsAsync<RpcException>(call);
    }
}
