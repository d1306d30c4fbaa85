using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CreditRisk.Contracts.Rpc;

namespace CreditRisk.Registry.Search;

/// <summary>
/// Where the next page starts: the phase (runs that have the first order key, then runs that lack it)
/// and the offset in it, bound to the query it came from by a fingerprint so it cannot be replayed
/// against another query.
/// </summary>
public sealed record PageToken(int Phase, long Offset)
{
    public static PageToken First { get; } = new(0, 0);

    public string Encode(string fingerprint) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"v1|{Phase}|{Offset}|{fingerprint}")));

    public static PageToken Decode(string? token, string fingerprint)
    {
        if (string.IsNullOrEmpty(token))
        {
            return First;
        }
        string[] parts;
        try
        {
            parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token)).Split('|');
        }
        catch (FormatException)
        {
            throw FieldViolations.Single("page_token", "not a page token of this service");
        }
        if (parts.Length != 4 || parts[0] != "v1"
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var phase) || phase is < 0 or > 1
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
        {
            throw FieldViolations.Single("page_token", "not a page token of this service");
        }
        if (parts[3] != fingerprint)
        {
            throw FieldViolations.Single("page_token", "belongs to a different search (experiments, filter, order or view changed)");
        }
        return new PageToken(phase, offset);
    }

    public static string Fingerprint(IEnumerable<string> experimentIds, string filter, IEnumerable<string> orderBy, int viewType)
    {
        var text = string.Join('\u001f', [string.Join(',', experimentIds), filter, string.Join(',', orderBy), viewType.ToString(CultureInfo.InvariantCulture)]);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }
}
