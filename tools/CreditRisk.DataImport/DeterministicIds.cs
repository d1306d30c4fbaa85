using System.Security.Cryptography;
using System.Text;

namespace CreditRisk.DataImport;

/// <summary>
/// Name-based UUIDs (RFC 9562 version 5): the same import (file row, seed, as-of date) always produces
/// the same event ids, so re-running it is acknowledged as duplicates instead of publishing twice.
/// </summary>
public static class DeterministicIds
{
    // A fixed namespace for CreditRisk import event ids (itself a random UUID, chosen once).
    private static readonly Guid ImportNamespace = new("8b0f2c7e-52a1-4d3e-9a55-0c7f6b1e2d94");

    public static string EventId(string name)
    {
        Span<byte> namespaceBytes = stackalloc byte[16];
        ImportNamespace.TryWriteBytes(namespaceBytes, bigEndian: true, out _);
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[16 + nameBytes.Length];
        namespaceBytes.CopyTo(input);
        nameBytes.CopyTo(input, 16);
        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(input, hash);   // RFC 9562 §5.5 specifies SHA-1; here it is an id, not security
        var uuid = hash[..16];
        uuid[6] = (byte)((uuid[6] & 0x0F) | 0x50);   // version 5
        uuid[8] = (byte)((uuid[8] & 0x3F) | 0x80);   // RFC variant
        return new Guid(uuid, bigEndian: true).ToString();
    }
}
