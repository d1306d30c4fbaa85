using System.Buffers;
using System.Text;
using System.Text.Json;
using CreditRisk.Contracts.Common.V1;

namespace CreditRisk.FeatureStore;

/// <summary>
/// The offline store's jsonb form of a vector in schema version 1 (read once, to convert the rows): {"feature": value}, with JSON null for a null value. Types come back
/// from the view definition (an int64 stays int64). Non-finite doubles are stored as the strings "NaN",
/// "Infinity", "-Infinity" (JSON has no such numbers).
/// </summary>
internal static class FeatureValueJson
{
    /// <summary>Every value of a stored vector, typed by the view (unknown names: number → double).</summary>
    public static Dictionary<string, FeatureValue> Deserialize(string json, FeatureView view)
    {
        var result = new Dictionary<string, FeatureValue>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            var type = view.TryGetFeature(name, out var feature) ? feature.ValueType : Infer(reader.TokenType);
            result[name] = Read(ref reader, type);
        }
        return result;
    }


    private static FeatureValueType Infer(JsonTokenType token) => token switch
    {
        JsonTokenType.String => FeatureValueType.String,
        JsonTokenType.True or JsonTokenType.False => FeatureValueType.Bool,
        _ => FeatureValueType.Double,
    };

    private static FeatureValue Read(ref Utf8JsonReader reader, FeatureValueType type)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return new FeatureValue();
        }
        return type switch
        {
            FeatureValueType.Double when reader.TokenType == JsonTokenType.String => new FeatureValue
            {
                DoubleValue = reader.GetString() switch
                {
                    "NaN" => double.NaN,
                    "Infinity" => double.PositiveInfinity,
                    "-Infinity" => double.NegativeInfinity,
                    var other => throw new FormatException($"'{other}' is not a double."),
                },
            },
            FeatureValueType.Double => new FeatureValue { DoubleValue = reader.GetDouble() },
            FeatureValueType.Int64 => new FeatureValue { Int64Value = reader.TryGetInt64(out var whole) ? whole : (long)reader.GetDouble() },
            FeatureValueType.String => new FeatureValue { StringValue = reader.GetString() },
            FeatureValueType.Bool => new FeatureValue { BoolValue = reader.GetBoolean() },
            _ => throw new InvalidOperationException($"Unknown value type {type}."),
        };
    }
}
