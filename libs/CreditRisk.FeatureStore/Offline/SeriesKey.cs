using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace CreditRisk.FeatureStore;

/// <summary>
/// The offline store's series key computed here exactly as PostgreSQL's <c>feature_store.series_key()</c> does:
/// <c>hashtextextended(view || 0x1f || version || 0x1f || entity type || 0x1f || entity id, 0)</c>, which is Bob
/// Jenkins' lookup3 as PostgreSQL's <c>hash_bytes_extended</c> implements it over the key's UTF-8 bytes.
/// <para>The writer sorts each batch into the as-of index's order with it: consecutive inserts then descend the same
/// inner pages and walk the leaves in one direction instead of touching random ones, which makes PostgreSQL's inserts
/// cheaper (the feature store README has the figures). Only the order depends on it, never what is stored.</para>
/// </summary>
public static class SeriesKey
{
    private const byte Separator = 0x1f;

    public static long Of(string featureView, int viewVersion, string entityType, string entityId)
    {
        var utf8 = Encoding.UTF8;
        var maxLength = utf8.GetMaxByteCount(featureView.Length + entityType.Length + entityId.Length) + 3 + 11;
        var rented = maxLength > 256 ? ArrayPool<byte>.Shared.Rent(maxLength) : null;
        var key = rented is not null ? rented : stackalloc byte[256];
        try
        {
            var length = utf8.GetBytes(featureView, key);
            key[length++] = Separator;
            viewVersion.TryFormat(key[length..], out var written, provider: CultureInfo.InvariantCulture);
            length += written;
            key[length++] = Separator;
            length += utf8.GetBytes(entityType, key[length..]);
            key[length++] = Separator;
            length += utf8.GetBytes(entityId, key[length..]);
            return (long)HashBytesExtended(key[..length]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>PostgreSQL's <c>hash_bytes_extended(k, keylen, seed: 0)</c> (src/common/hashfn.c) on a little-endian machine.</summary>
    internal static ulong HashBytesExtended(ReadOnlySpan<byte> k)
    {
        uint a, b, c;
        a = b = c = 0x9e3779b9 + (uint)k.Length + 3923095;
        while (k.Length >= 12)
        {
            a += BinaryPrimitives.ReadUInt32LittleEndian(k);
            b += BinaryPrimitives.ReadUInt32LittleEndian(k[4..]);
            c += BinaryPrimitives.ReadUInt32LittleEndian(k[8..]);
            Mix(ref a, ref b, ref c);
            k = k[12..];
        }
        // The last 0–11 bytes, little-endian into a, b and c (c's lowest byte stays free).
        for (var i = k.Length - 1; i >= 0; i--)
        {
            var shifted = (uint)k[i] << (8 * (i % 4));
            switch (i / 4)
            {
                case 0:
                    a += shifted;
                    break;
                case 1:
                    b += shifted;
                    break;
                default:
                    c += shifted << 8;
                    break;
            }
        }
        Final(ref a, ref b, ref c);
        return ((ulong)b << 32) | c;
    }

    private static void Mix(ref uint a, ref uint b, ref uint c)
    {
        a -= c; a ^= BitOperations.RotateLeft(c, 4); c += b;
        b -= a; b ^= BitOperations.RotateLeft(a, 6); a += c;
        c -= b; c ^= BitOperations.RotateLeft(b, 8); b += a;
        a -= c; a ^= BitOperations.RotateLeft(c, 16); c += b;
        b -= a; b ^= BitOperations.RotateLeft(a, 19); a += c;
        c -= b; c ^= BitOperations.RotateLeft(b, 4); b += a;
    }

    private static void Final(ref uint a, ref uint b, ref uint c)
    {
        c ^= b; c -= BitOperations.RotateLeft(b, 14);
        a ^= c; a -= BitOperations.RotateLeft(c, 11);
        b ^= a; b -= BitOperations.RotateLeft(a, 25);
        c ^= b; c -= BitOperations.RotateLeft(b, 16);
        a ^= c; a -= BitOperations.RotateLeft(c, 4);
        b ^= a; b -= BitOperations.RotateLeft(a, 14);
        c ^= b; c -= BitOperations.RotateLeft(b, 24);
    }
}
