using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CreditRisk.Training.Pipeline;

/// <summary>SHA-256 over a sequence of strings, each prefixed with its length so that no two sequences hash alike.</summary>
internal sealed class DigestBuilder : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public DigestBuilder Add(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        _hash.AppendData(Encoding.ASCII.GetBytes(bytes.Length.ToString(CultureInfo.InvariantCulture) + ":"));
        _hash.AppendData(bytes);
        return this;
    }

    /// <summary>The map's entries in ordinal order of their names, after their count.</summary>
    public DigestBuilder Add(IReadOnlyDictionary<string, string> map)
    {
        Add(map.Count.ToString(CultureInfo.InvariantCulture));
        foreach (var (name, value) in map.OrderBy(entry => entry.Key, StringComparer.Ordinal))
        {
            Add(name).Add(value);
        }
        return this;
    }

    public string Finish() => Convert.ToHexStringLower(_hash.GetHashAndReset());

    public void Dispose() => _hash.Dispose();
}
