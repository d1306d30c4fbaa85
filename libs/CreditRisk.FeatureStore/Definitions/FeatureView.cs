using System.Security.Cryptography;
using System.Text;

namespace CreditRisk.FeatureStore;

/// <summary>
/// A named, versioned group of features about one entity, computed from one source event type.
/// <see cref="Ttl"/> bounds how old a stored vector may be and still be served (online: OUTSIDE_TTL beyond it;
/// historical: candidates need event_ts ≥ T − ttl); null = no bound.
/// A version is immutable: changing anything that affects values means registering a new version
/// (<see cref="Fingerprint"/> makes accidental edits visible; the registry tests pin it).
/// </summary>
public sealed record FeatureView(
    string Name,
    int Version,
    Entity Entity,
    SourceEvent Source,
    IReadOnlyList<FeatureDefinition> Features,
    TimeSpan? Ttl,
    string Description)
{
    private readonly Dictionary<string, int> _index = Features
        .Select((feature, position) => (feature.Name, position))
        .ToDictionary(pair => pair.Name, pair => pair.position, StringComparer.Ordinal);

    /// <summary>Each feature's name in UTF-8, in the view's order (the stores' encoding writes them for every row).</summary>
    internal byte[][] Utf8Names { get; } = Features.Select(feature => Encoding.UTF8.GetBytes(feature.Name)).ToArray();

    /// <summary>The position of the feature named <paramref name="name"/>, or -1.</summary>
    public int IndexOf(string name) => _index.TryGetValue(name, out var position) ? position : -1;

    /// <summary>"name@version", the form used in storage keys and logs.</summary>
    public string QualifiedName => $"{Name}@{Version}";

    /// <summary>Longest window of any feature (zero when none is windowed).</summary>
    public TimeSpan LongestWindow => Features.Select(feature => feature.Window ?? TimeSpan.Zero).DefaultIfEmpty(TimeSpan.Zero).Max();

    public bool TryGetFeature(string name, out FeatureDefinition feature)
    {
        if (_index.TryGetValue(name, out var position))
        {
            feature = Features[position];
            return true;
        }
        feature = null!;
        return false;
    }

    public FeatureDefinition GetFeature(string name) =>
        TryGetFeature(name, out var feature)
            ? feature
            : throw new KeyNotFoundException($"Feature view {QualifiedName} has no feature '{name}'.");

    /// <summary>
    /// SHA-256 (hex, first 16 chars) of everything that determines values: entity, source, features (name, type,
    /// aggregation, window) and TTL. Descriptions do not count.
    /// </summary>
    public string Fingerprint
    {
        get
        {
            var text = new StringBuilder()
                .Append(Name).Append('|').Append(Version).Append('|').Append(Entity.Name).Append('|').Append(Source)
                .Append('|').Append(Ttl?.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-");
            foreach (var feature in Features)
            {
                text.Append('|').Append(feature.Name).Append(',').Append(feature.ValueType).Append(',')
                    .Append(feature.Aggregation).Append(',')
                    .Append(feature.Window?.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-");
            }
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
        }
    }
}
