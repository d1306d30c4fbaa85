using System.Security.Cryptography;
using Grpc.Core;

namespace CreditRisk.Contracts.Registry.V1;

/// <summary>Downloading a registry artifact by the content digest a model version declares, verified against it.</summary>
public static class RegistryArtifacts
{
    /// <summary>
    /// The bytes of <paramref name="runId"/>'s artifact whose SHA-256 is <paramref name="sha256"/>, streamed and checked;
    /// <see cref="ArtifactIntegrityException"/> when the run lists no such artifact or the bytes hash to another digest.
    /// </summary>
    public static async Task<byte[]> DownloadVerifiedAsync(this RegistryService.RegistryServiceClient registry, string runId, string sha256,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var listed = await registry.ListArtifactsAsync(new ListArtifactsRequest { RunId = runId }, cancellationToken: cancellationToken);
        var artifact = listed.Artifacts.FirstOrDefault(info => string.Equals(info.Sha256, sha256, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArtifactIntegrityException($"run {runId} has no artifact with SHA-256 {sha256}", missing: true);
        using var call = registry.DownloadArtifact(new DownloadArtifactRequest { RunId = runId, Path = artifact.Path }, cancellationToken: cancellationToken);
        using var content = new MemoryStream(artifact.SizeBytes is > 0 and < int.MaxValue ? (int)artifact.SizeBytes : 0);
        await foreach (var part in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            part.Data.WriteTo(content);
        }
        var bytes = content.ToArray();
        var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (!string.Equals(actual, sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArtifactIntegrityException($"artifact {artifact.Path} of run {runId} hashes to {actual}, the registry records {sha256}", missing: false);
        }
        return bytes;
    }
}
