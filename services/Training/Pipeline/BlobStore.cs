using System.Security.Cryptography;
using Npgsql;

namespace CreditRisk.Training.Pipeline;

/// <summary>
/// What steps produce (training sets, models, reports) in <c>training.blobs</c>, keyed by SHA-256: storing the same
/// content twice is a no-op, so a retried or resumed step can always store again.
/// </summary>
public sealed class BlobStore(NpgsqlDataSource database)
{
    public static string DigestOf(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(SHA256.HashData(content));

    public async Task<string> PutAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var digest = DigestOf(content.Span);
        await using var command = database.CreateCommand(
            "INSERT INTO training.blobs (sha256, content, size_bytes) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING");
        command.Parameters.Add(DbJson.Value(digest));
        command.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>> { TypedValue = content });
        command.Parameters.Add(DbJson.Value((long)content.Length));
        await command.ExecuteNonQueryAsync(cancellationToken);
        return digest;
    }

    /// <summary>The content stored under <paramref name="digest"/>; throws <see cref="KeyNotFoundException"/> when there is none.</summary>
    public async Task<byte[]> GetAsync(string digest, CancellationToken cancellationToken) =>
        await TryGetAsync(digest, cancellationToken) ?? throw new KeyNotFoundException($"No blob {digest}.");

    public async Task<byte[]?> TryGetAsync(string digest, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("SELECT content FROM training.blobs WHERE sha256 = $1");
        command.Parameters.Add(DbJson.Value(digest));
        return await command.ExecuteScalarAsync(cancellationToken) as byte[];
    }

    /// <summary>Which of <paramref name="digests"/> are not stored.</summary>
    public async Task<IReadOnlyList<string>> MissingAsync(IReadOnlyCollection<string> digests, CancellationToken cancellationToken)
    {
        if (digests.Count == 0)
        {
            return [];
        }
        await using var command = database.CreateCommand("""
            SELECT wanted.sha256 FROM unnest($1::text[]) AS wanted (sha256)
            WHERE NOT EXISTS (SELECT FROM training.blobs WHERE blobs.sha256 = wanted.sha256)
            """);
        command.Parameters.Add(DbJson.Value(digests.ToArray()));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var missing = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            missing.Add(reader.GetString(0));
        }
        return missing;
    }

    /// <summary>The size of each stored blob among <paramref name="digests"/>.</summary>
    public static async Task<IReadOnlyDictionary<string, long>> SizesAsync(NpgsqlConnection connection, IReadOnlyCollection<string> digests, CancellationToken cancellationToken)
    {
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        if (digests.Count == 0)
        {
            return sizes;
        }
        await using var command = new NpgsqlCommand("SELECT sha256, size_bytes FROM training.blobs WHERE sha256 = ANY($1)", connection);
        command.Parameters.Add(DbJson.Value(digests.ToArray()));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            sizes[reader.GetString(0)] = reader.GetInt64(1);
        }
        return sizes;
    }
}
