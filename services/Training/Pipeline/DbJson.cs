using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace CreditRisk.Training.Pipeline;

/// <summary>The name-to-value maps kept as jsonb (parameters, outputs, digests), read and written as JSON text.</summary>
internal static class DbJson
{
    private static readonly Dictionary<string, string> Empty = new(StringComparer.Ordinal);

    public static NpgsqlParameter Parameter(IReadOnlyDictionary<string, string>? map) =>
        new() { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = map is null ? DBNull.Value : JsonSerializer.Serialize(map) };

    public static IReadOnlyDictionary<string, string> Read(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal)
            ? Empty
            : JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(ordinal)) ?? Empty;

    public static DateTimeOffset? ReadTime(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);

    public static string? ReadText(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static NpgsqlParameter Value(object? value) => new() { Value = value ?? DBNull.Value };
}
