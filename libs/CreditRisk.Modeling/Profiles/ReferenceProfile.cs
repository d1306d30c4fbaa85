using System.Text.Json;
using System.Text.Json.Serialization;

namespace CreditRisk.Modeling.Profiles;

/// <summary>
/// What a model saw in training, for drift monitoring: per feature its distribution, the score distribution, the label
/// balance and a bounded sample of the rows themselves. Serialised as versioned JSON (<see cref="FormatVersion"/>);
/// a reader rejects a version it does not know.
/// </summary>
public sealed record ReferenceProfile(
    int FormatVersion,
    string? FeatureService,
    int? FeatureServiceVersion,
    long RowCount,
    IReadOnlyList<FeatureProfile> Features,
    ScoreProfile Scores,
    LabelBalance? Labels,
    ReferenceSample Sample)
{
    public const int CurrentFormatVersion = 1;

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public FeatureProfile Feature(string name) =>
        Features.SingleOrDefault(feature => feature.Name == name) ?? throw new KeyNotFoundException($"the profile has no feature '{name}'");

    public byte[] ToJsonBytes() => JsonSerializer.SerializeToUtf8Bytes(this, JsonOptions);

    public static ReferenceProfile FromJson(ReadOnlySpan<byte> json)
    {
        var profile = JsonSerializer.Deserialize<ReferenceProfile>(json, JsonOptions) ?? throw new InvalidDataException("the reference profile is empty");
        if (profile.FormatVersion != CurrentFormatVersion)
        {
            throw new InvalidDataException($"reference profile format {profile.FormatVersion} is not supported (this library reads {CurrentFormatVersion})");
        }
        return profile;
    }
}
