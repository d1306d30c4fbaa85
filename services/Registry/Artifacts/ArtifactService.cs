using CreditRisk.Contracts.Registry.V1;
using CreditRisk.Contracts.Rpc;
using CreditRisk.Registry.Data;
using CreditRisk.Registry.Validation;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CreditRisk.Registry.Artifacts;

/// <summary>Run artifacts: the content goes to the <see cref="IArtifactStore"/>, the (run, path) → digest mapping to PostgreSQL.</summary>
public sealed class ArtifactService(NpgsqlDataSource dataSource, IArtifactStore store, IOptions<ArtifactOptions> options, TimeProvider clock)
{
    public const int ChunkSize = 64 * 1024;

    /// <summary>Stores a streamed upload; the first chunk names the run and path (and optionally the expected digest).</summary>
    public async Task<ArtifactInfo> UploadAsync(IAsyncEnumerable<ArtifactChunk> chunks, CancellationToken cancellationToken)
    {
        var maxBytes = options.Value.MaxArtifactBytes;
        ArtifactChunk? first = null;
        Guid runId = Guid.Empty;
        await using var writer = store.BeginWrite(maxBytes);
        try
        {
            await foreach (var chunk in chunks.WithCancellation(cancellationToken))
            {
                if (first is null)
                {
                    first = chunk;
                    runId = ValidateFirstChunk(chunk);
                    await RequireActiveRunAsync(runId, cancellationToken);
                }
                if (!chunk.Data.IsEmpty)
                {
                    await writer.WriteAsync(chunk.Data.Memory, cancellationToken);
                }
            }
        }
        catch (ArtifactTooLargeException exception)
        {
            throw new RegistryException(StatusCode.ResourceExhausted, $"data: artifact exceeds the size limit of {exception.Limit} bytes");
        }
        if (first is null)
        {
            throw new FieldViolations().Add("run_id", "required (the upload had no chunks)").Add("path", "required").ToRpcException();
        }
        var (sha256, size) = await writer.CompleteAsync(cancellationToken);
        if (!string.IsNullOrEmpty(first.Sha256) && !string.Equals(first.Sha256, sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new RegistryException(StatusCode.DataLoss, $"sha256: expected {first.Sha256}, received content hashes to {sha256}");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        await using var command = dataSource.CreateCommand("""
            INSERT INTO artifacts (run_id, path, sha256, size_bytes, created_time) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (run_id, path) DO UPDATE SET sha256 = excluded.sha256, size_bytes = excluded.size_bytes, created_time = excluded.created_time
            """);
        command.Parameters.Add(new() { Value = runId });
        command.Parameters.Add(new() { Value = first.Path });
        command.Parameters.Add(new() { Value = sha256 });
        command.Parameters.Add(new() { Value = size });
        command.Parameters.Add(new() { Value = now });
        await command.ExecuteNonQueryAsync(cancellationToken);
        return new ArtifactInfo { RunId = runId.ToString(), Path = first.Path, Sha256 = sha256, SizeBytes = size, CreatedTime = DbValues.ToTimestamp(now) };
    }

    /// <summary>Streams an artifact in chunks; the first chunk carries the run, path, digest and size.</summary>
    public async Task DownloadAsync(DownloadArtifactRequest request, Func<ArtifactChunk, Task> write, CancellationToken cancellationToken)
    {
        var info = await GetInfoAsync(request.RunId, request.Path, cancellationToken);
        await using var content = await store.OpenReadAsync(info.Sha256, cancellationToken)
            ?? throw new RegistryException(StatusCode.DataLoss, $"path: the store has no content {info.Sha256} for {info.Path}");
        var buffer = new byte[ChunkSize];
        var first = true;
        while (true)
        {
            var read = await content.ReadAsync(buffer, cancellationToken);
            if (read == 0 && !first)
            {
                return;
            }
            var chunk = new ArtifactChunk { Data = Google.Protobuf.ByteString.CopyFrom(buffer, 0, read) };
            if (first)
            {
                chunk.RunId = info.RunId;
                chunk.Path = info.Path;
                chunk.Sha256 = info.Sha256;
                chunk.SizeBytes = info.SizeBytes;
                first = false;
            }
            await write(chunk);
            if (read == 0)
            {
                return;
            }
        }
    }

    public async Task<ArtifactInfo> GetInfoAsync(string runIdText, string path, CancellationToken cancellationToken)
    {
        var errors = new FieldViolations();
        var runId = RegistryFields.ParseRunId("run_id", runIdText, errors);
        errors.Required("path", path);
        errors.ThrowIfAny();
        await using var command = dataSource.CreateCommand("SELECT sha256, size_bytes, created_time FROM artifacts WHERE run_id = $1 AND path = $2");
        command.Parameters.Add(new() { Value = runId });
        command.Parameters.Add(new() { Value = path });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw RegistryException.NotFound($"path: run {runId} has no artifact '{path}'");
        }
        return new ArtifactInfo
        {
            RunId = runId.ToString(),
            Path = path,
            Sha256 = reader.GetString(0),
            SizeBytes = reader.GetInt64(1),
            CreatedTime = DbValues.ToTimestamp(reader.GetDateTime(2)),
        };
    }

    public async Task<ListArtifactsResponse> ListAsync(ListArtifactsRequest request, CancellationToken cancellationToken)
    {
        var runId = RegistryFields.RequireRunId(request.RunId);
        await using var command = dataSource.CreateCommand("SELECT path, sha256, size_bytes, created_time FROM artifacts WHERE run_id = $1 ORDER BY path");
        command.Parameters.Add(new() { Value = runId });
        var response = new ListArtifactsResponse();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            response.Artifacts.Add(new ArtifactInfo
            {
                RunId = runId.ToString(),
                Path = reader.GetString(0),
                Sha256 = reader.GetString(1),
                SizeBytes = reader.GetInt64(2),
                CreatedTime = DbValues.ToTimestamp(reader.GetDateTime(3)),
            });
        }
        return response;
    }

    private static Guid ValidateFirstChunk(ArtifactChunk chunk)
    {
        var errors = new FieldViolations();
        var runId = RegistryFields.ParseRunId("run_id", chunk.RunId, errors);
        errors.Required("path", chunk.Path);
        if (!string.IsNullOrEmpty(chunk.Path) && !IsSafeRelativePath(chunk.Path))
        {
            errors.Add("path", "a relative path of at most 1024 characters without '..' segments, a leading '/' or backslashes");
        }
        if (!string.IsNullOrEmpty(chunk.Sha256) && !RegistryFields.Sha256Pattern().IsMatch(chunk.Sha256.ToLowerInvariant()))
        {
            errors.Add("sha256", "64 hex characters");
        }
        errors.ThrowIfAny();
        return runId;
    }

    private static bool IsSafeRelativePath(string path) =>
        path.Length <= 1024
        && !path.StartsWith('/')
        && !path.Contains('\\')
        && !path.Contains('\0')
        && path.Split('/').All(segment => segment.Length > 0 && segment != "." && segment != "..");

    private async Task RequireActiveRunAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT deleted_time IS NOT NULL FROM runs WHERE run_id = $1");
        command.Parameters.Add(new() { Value = runId });
        var deleted = await command.ExecuteScalarAsync(cancellationToken)
            ?? throw RegistryException.NotFound($"run_id: no run {runId}");
        if ((bool)deleted)
        {
            throw RegistryException.FailedPrecondition($"run_id: run {runId} is deleted");
        }
    }
}
