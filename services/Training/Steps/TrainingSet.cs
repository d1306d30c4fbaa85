using System.Buffers;
using System.Globalization;
using System.Text.Json;
using CreditRisk.Modeling.Data;

namespace CreditRisk.Training.Steps;

/// <summary>
/// A point-in-time training set as the pipeline keeps it: deterministic JSON (rows by application time, then id;
/// invariant numbers; times in UTC), so the same labels and features always give the same bytes and digest.
/// </summary>
public sealed record TrainingSet(
    string FeatureService,
    int FeatureServiceVersion,
    DateTimeOffset Cutoff,
    IReadOnlyList<TrainingSetFeature> Features,
    IReadOnlyList<TrainingSetRow> Rows)
{
    public const int FormatVersion = 1;
    public const string LabelColumn = "defaulted";
    public const string PositiveLabel = "1";

    public int Positives => Rows.Count(row => row.Label == 1);

    public int Negatives => Rows.Count - Positives;

    /// <summary>The rows as a dataset for the model library: flags as 0/1, numbers as doubles.</summary>
    public LabelledDataset ToDataset() => LabelledDataset.FromValues(
        Features.Select(feature => new FeatureColumn(feature.Name, feature.Kind)).ToList(),
        Rows.Select(row => row.Values.Select((value, f) => ModelValue(value, Features[f].Kind)).ToArray()).ToList(),
        Rows.Select(row => row.Label == 1).ToList(),
        LabelColumn,
        PositiveLabel);

    /// <summary>Each row's value of the categorical feature <paramref name="name"/> (for segments), or null when the set has no such feature.</summary>
    public IReadOnlyList<string?>? CategoryValues(string name)
    {
        var index = Features.ToList().FindIndex(feature => feature.Name == name);
        return index < 0 ? null : Rows.Select(row => row.Values[index] as string).ToList();
    }

    public static object? ModelValue(object? value, ColumnKind kind) => (value, kind) switch
    {
        (null, _) => null,
        (bool flag, ColumnKind.Numeric) => flag ? 1.0 : 0.0,
        (long whole, ColumnKind.Numeric) => (double)whole,
        (double number, ColumnKind.Numeric) => number,
        (_, ColumnKind.Categorical) => Convert.ToString(value, CultureInfo.InvariantCulture),
        _ => throw new InvalidDataException($"value {value} of type {value.GetType().Name} is not numeric"),
    };

    public byte[] ToBytes()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("format_version", FormatVersion);
            json.WriteString("feature_service", FeatureService);
            json.WriteNumber("feature_service_version", FeatureServiceVersion);
            json.WriteString("cutoff", Time(Cutoff));
            json.WriteStartArray("features");
            foreach (var feature in Features)
            {
                json.WriteStartObject();
                json.WriteString("name", feature.Name);
                json.WriteString("type", feature.Type);
                json.WriteString("kind", feature.Kind == ColumnKind.Numeric ? "numeric" : "categorical");
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("rows");
            foreach (var row in Rows)
            {
                json.WriteStartObject();
                json.WriteString("application_id", row.ApplicationId);
                json.WriteString("customer_id", row.CustomerId);
                json.WriteString("application_time", Time(row.ApplicationTime));
                json.WriteNumber("label", row.Label);
                json.WriteString("label_known_at", Time(row.LabelKnownAt));
                json.WriteStartArray("values");
                foreach (var value in row.Values)
                {
                    switch (value)
                    {
                        case null: json.WriteNullValue(); break;
                        case double number: json.WriteNumberValue(number); break;
                        case long whole: json.WriteNumberValue(whole); break;
                        case bool flag: json.WriteBooleanValue(flag); break;
                        case string text: json.WriteStringValue(text); break;
                        default: throw new InvalidDataException($"a training set value of type {value.GetType().Name}");
                    }
                }
                json.WriteEndArray();
                json.WriteStartArray("event_times");
                foreach (var time in row.EventTimes)
                {
                    if (time is { } known)
                    {
                        json.WriteStringValue(Time(known));
                    }
                    else
                    {
                        json.WriteNullValue();
                    }
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static TrainingSet FromBytes(ReadOnlySpan<byte> bytes)
    {
        using var document = JsonDocument.Parse(bytes.ToArray());
        var root = document.RootElement;
        var format = root.GetProperty("format_version").GetInt32();
        if (format != FormatVersion)
        {
            throw new InvalidDataException($"training set format {format} is not supported (this service reads {FormatVersion})");
        }
        var features = root.GetProperty("features").EnumerateArray().Select(feature => new TrainingSetFeature(
            feature.GetProperty("name").GetString()!,
            feature.GetProperty("type").GetString()!,
            feature.GetProperty("kind").GetString() == "numeric" ? ColumnKind.Numeric : ColumnKind.Categorical)).ToList();
        var rows = root.GetProperty("rows").EnumerateArray().Select(row => new TrainingSetRow(
            row.GetProperty("application_id").GetString()!,
            row.GetProperty("customer_id").GetString()!,
            row.GetProperty("application_time").GetDateTimeOffset(),
            row.GetProperty("label").GetInt32(),
            row.GetProperty("label_known_at").GetDateTimeOffset(),
            row.GetProperty("values").EnumerateArray().Select((value, f) => Value(value, features[f].Type)).ToList(),
            row.GetProperty("event_times").EnumerateArray()
                .Select(time => time.ValueKind == JsonValueKind.Null ? (DateTimeOffset?)null : time.GetDateTimeOffset()).ToList())).ToList();
        return new TrainingSet(
            root.GetProperty("feature_service").GetString()!,
            root.GetProperty("feature_service_version").GetInt32(),
            root.GetProperty("cutoff").GetDateTimeOffset(),
            features,
            rows);
    }

    private static object? Value(JsonElement value, string type) => value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.True or JsonValueKind.False => value.GetBoolean(),
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number when type == "int64" => value.GetInt64(),
        JsonValueKind.Number => value.GetDouble(),
        _ => throw new InvalidDataException($"a training set value {value}"),
    };

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture);
}
