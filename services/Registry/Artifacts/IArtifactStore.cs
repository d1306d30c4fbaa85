namespace CreditRisk.Registry.Artifacts;

/// <summary>
/// Content-addressed blob store: content is stored once under its SHA-256, whatever path or run refers
/// to it. The local folder is the default; an S3-compatible store implements the same interface.
/// </summary>
public interface IArtifactStore
{
    /// <summary>Starts a streamed write; nothing is visible until <see cref="IArtifactWriter.CompleteAsync"/>.</summary>
    IArtifactWriter BeginWrite(long maxBytes);

    /// <summary>Opens the content with this digest for reading, or null when the store has none.</summary>
    Task<Stream?> OpenReadAsync(string sha256, CancellationToken cancellationToken);

    Task<bool> ExistsAsync(string sha256, CancellationToken cancellationToken);
}

/// <summary>One streamed write. Disposing without completing discards what was written.</summary>
public interface IArtifactWriter : IAsyncDisposable
{
    long BytesWritten { get; }

    /// <summary>Appends data; throws <see cref="ArtifactTooLargeException"/> past the size limit.</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Makes the content durable under its digest and returns the digest (lower-case hex) and size.</summary>
    Task<(string Sha256, long SizeBytes)> CompleteAsync(CancellationToken cancellationToken);
}

public sealed class ArtifactTooLargeException(long limit) : Exception($"artifact exceeds the size limit of {limit} bytes")
{
    public long Limit { get; } = limit;
}
