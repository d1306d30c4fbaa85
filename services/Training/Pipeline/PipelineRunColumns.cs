using Npgsql;

namespace CreditRisk.Training.Pipeline;

/// <summary>The columns of a <see cref="PipelineRunRecord"/>, selected and read in one place.</summary>
internal static class PipelineRunColumns
{
    public const string List = """
        run_id, model_name, feature_service, feature_service_version, cutoff, parameters, trigger, drift_report_id,
        request_id, cache_enabled, status, failure_reason, cancel_requested, created_at, started_at, finished_at
        """;

    /// <summary>The same with every column qualified by <paramref name="alias"/>.</summary>
    public static string Qualified(string alias) =>
        string.Join(", ", List.Split(',', StringSplitOptions.TrimEntries).Select(column => $"{alias}.{column}"));

    /// <summary>Reads the columns of <see cref="List"/> starting at <paramref name="first"/>.</summary>
    public static PipelineRunRecord Read(NpgsqlDataReader reader, int first = 0)
    {
        var definition = new PipelineRunDefinition(
            reader.GetGuid(first),
            reader.GetString(first + 1),
            reader.GetString(first + 2),
            reader.GetInt32(first + 3),
            reader.GetFieldValue<DateTimeOffset>(first + 4),
            DbJson.Read(reader, first + 5),
            reader.GetString(first + 6),
            DbJson.ReadText(reader, first + 7));
        return new PipelineRunRecord(
            definition,
            reader.GetString(first + 8),
            reader.GetBoolean(first + 9),
            reader.GetString(first + 10),
            DbJson.ReadText(reader, first + 11),
            reader.GetBoolean(first + 12),
            reader.GetFieldValue<DateTimeOffset>(first + 13),
            DbJson.ReadTime(reader, first + 14),
            DbJson.ReadTime(reader, first + 15));
    }

    public const int Count = 16;
}
