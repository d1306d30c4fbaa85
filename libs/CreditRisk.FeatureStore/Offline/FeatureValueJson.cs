using System.Buffers;
using System.Text;
using System.Text.Json;
using CreditRisk.Contracts.Common.V1;

namespace CreditRisk.FeatureStore;

/// <summary>
/// The offline store's jsonb form of a vector: {"feature": value}, with JSON null for a null value. Types come back
/// from the view definition (an int64 stays int64). Non-finite doubles are stored as the strings "NaN",
/// "Infinity", "-Infinity" (JSON has no such numbers).
/// </summary>
internal static class FeatureValueJson
{
    public static string Serialize(IReadOnlyDictionary<string, FeatureValue> values)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in values.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                writer.WritePropertyName(name);
                switch (value?.KindCase)
                {
                    case FeatureValue.KindOneofCase.DoubleValue when double.IsFinite(value.DoubleValue):
                        writer.WriteNumberValue(value.DoubleValue);
                        break;
                    case FeatureValue.KindOneofCase.DoubleValue:
                        writer.WriteStringValue(double.IsNaN(value.DoubleValue) ? "NaN" : value.DoubleValue > 0 ? "Infinity" : "-Infinity");
                        break;
                    case FeatureValue.KindOneofCase.Int64Value:
                        writer.WriteNumberValue(value.Int64Value);
                        break;
                    case FeatureValue.KindOneofCase.StringValue:
                        writer.WriteStringValue(value.StringValue);
                        break;
                    case FeatureValue.KindOneofCase.BoolValue:
                        writer.WriteBooleanValue(value.BoolValue);
                        break;
                    default:
                        writer.WriteNullValue();
                        break;
                }
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

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

    /// <summary>
    /// Fills <paramref name="target"/> at the positions of the requested features of one view; features absent from
    /// the vector stay null.
    /// </summary>
    public static void ReadInto(string json, IReadOnlyDictionary<string, (int Position, FeatureValueType Type)> wanted, FeatureValue?[] target)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            if (wanted.TryGetValue(name, out var slot))
            {
                target[slot.Position] = Read(ref reader, slot.Type);
            }
            else
            {
                reader.Skip();
            }
        }
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
