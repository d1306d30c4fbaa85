using System.Globalization;
using System.Text;
using CreditRisk.Contracts.Rpc;

namespace CreditRisk.Training.Api;

/// <summary>Where a page of runs ends: the creation time and id of its last run (keyset paging, stable under inserts).</summary>
internal static class RunPageToken
{
    public static string Encode(DateTimeOffset createdAt, Guid runId) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{createdAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}|{runId}"));

    public static (DateTimeOffset CreatedAt, Guid RunId)? Decode(string token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }
        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split('|');
            if (parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && Guid.TryParse(parts[1], out var runId))
            {
                return (new DateTimeOffset(ticks, TimeSpan.Zero), runId);
            }
        }
        catch (FormatException)
        {
            // Answered below.
        }
        catch (ArgumentOutOfRangeException)
        {
            // Answered below.
        }
        throw FieldViolations.Single("page_token", "not a token this service returned");
    }
}
