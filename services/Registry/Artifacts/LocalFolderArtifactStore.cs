using System.Security.Cryptography;
using CreditRisk.Contracts.Rpc;
using CreditRisk.Registry.Validation;

namespace CreditRisk.Registry.Artifacts;

/// <summary>
/// Artifacts as files named by their SHA-256 under a root folder (root/ab/cd/abcd...). Writes go to a
/// temporary file first and are renamed into place once hashed and flushed, so a reader never sees
/// a partial artifact and identical content is stored once.
/// </summary>
public sealed class LocalFolderArtifactStore : IArtifactStore
{
    private readonly string _root;
    private readonly string _incoming;

    public LocalFolderArtifactStore(string root)
    {
        _root = Path.GetFullPath(root);
        _incoming = Path.Combine(_root, "incoming");
        Directory.CreateDirectory(_incoming);
    }

    public IArtifactWriter BeginWrite(long maxBytes) => new Writer(this, maxBytes);

    public Task<Stream?> OpenReadAsync(string sha256, CancellationToken cancellationToken)
    {
        var path = PathOf(sha256);
        Stream? stream = File.Exists(path)
            ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true)
            : null;
        return Task.FromResult(stream);
    }

    public Task<bool> ExistsAsync(string sha256, CancellationToken cancellationToken) => Task.FromResult(File.Exists(PathOf(sha256)));

    private string PathOf(string sha256)
    {
        if (!RegistryFields.Sha256Pattern().IsMatch(sha256))
        {
            throw FieldViolations.Single("sha256", "64 lower-case hex characters");
        }
        return Path.Combine(_root, sha256[..2], sha256[2..4], sha256);
    }

    private sealed class Writer : IArtifactWriter
    {
        private readonly LocalFolderArtifactStore _store;
        private readonly long _maxBytes;
        private readonly string _temporaryPath;
        private readonly FileStream _file;
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private bool _completed;

        public Writer(LocalFolderArtifactStore store, long maxBytes)
        {
            _store = store;
            _maxBytes = maxBytes;
            _temporaryPath = Path.Combine(store._incoming, Guid.NewGuid().ToString("N"));
            _file = new FileStream(_temporaryPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
        }

        public long BytesWritten { get; private set; }

        public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            if (BytesWritten + data.Length > _maxBytes)
            {
                throw new ArtifactTooLargeException(_maxBytes);
            }
            _hash.AppendData(data.Span);
            await _file.WriteAsync(data, cancellationToken);
            BytesWritten += data.Length;
        }

        public async Task<(string Sha256, long SizeBytes)> CompleteAsync(CancellationToken cancellationToken)
        {
            await _file.FlushAsync(cancellationToken);
            _file.Flush(flushToDisk: true);
            await _file.DisposeAsync();
            var sha256 = Convert.ToHexStringLower(_hash.GetHashAndReset());
            var target = _store.PathOf(sha256);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (File.Exists(target))
            {
                File.Delete(_temporaryPath);
            }
            else
            {
                try
                {
                    File.Move(_temporaryPath, target);
                }
                catch (IOException) when (File.Exists(target))
                {
                    // Someone stored the same content meanwhile: it is the same bytes.
                    File.Delete(_temporaryPath);
                }
            }
            _completed = true;
            return (sha256, BytesWritten);
        }

        public async ValueTask DisposeAsync()
        {
            _hash.Dispose();
            await _file.DisposeAsync();
            if (!_completed && File.Exists(_temporaryPath))
            {
                File.Delete(_temporaryPath);
            }
        }
    }
}
