using System.Runtime.CompilerServices;

namespace CreditRisk.Testing.Kafka;

/// <summary>Unique topic and group names, so tests sharing a broker never see each other's records.</summary>
public static class TopicNames
{
    /// <summary>A legal, unique Kafka name that starts with <paramref name="prefix"/> (the calling member's name by default).</summary>
    public static string Unique([CallerMemberName] string prefix = "topic")
    {
        var cleaned = new string(prefix.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-').ToArray());
        if (cleaned.Length > 120)
        {
            cleaned = cleaned[..120];
        }

        return $"{cleaned}-{Guid.NewGuid():N}";
    }
}
