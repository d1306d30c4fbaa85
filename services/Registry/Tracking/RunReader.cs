using CreditRisk.Contracts.Registry.V1;
using CreditRisk.Registry.Data;
using Npgsql;

namespace CreditRisk.Registry.Tracking;

/// <summary>Loads whole runs (params, tags, latest metrics, inputs) for a set of run ids in one round trip.</summary>
internal static class RunReader
{
    public const string RunColumns = "r.run_id, r.experiment_id, r.name, r.status, r.start_time, r.end_time, r.deleted_time";

    public static Run ReadRunRow(NpgsqlDataReader reader, int offset = 0)
    {
        var run = new Run
        {
            RunId = reader.GetGuid(offset).ToString(),
            ExperimentId = reader.GetInt64(offset + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            Name = reader.GetString(offset + 2),
            Status = (RunStatus)reader.GetInt16(offset + 3),
            StartTime = DbValues.ToTimestamp(reader.GetDateTime(offset + 4)),
            Deleted = !reader.IsDBNull(offset + 6),
        };
        if (!reader.IsDBNull(offset + 5))
        {
            run.EndTime = DbValues.ToTimestamp(reader.GetDateTime(offset + 5));
        }
        return run;
    }

    /// <summary>Fills params, tags, metrics and inputs of <paramref name="runs"/> (keyed by run id).</summary>
    public static async Task FillDetailsAsync(NpgsqlConnection connection, IReadOnlyDictionary<Guid, Run> runs, CancellationToken cancellationToken)
    {
        if (runs.Count == 0)
        {
            return;
        }
        var ids = runs.Keys.ToArray();
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT run_id, key, value FROM params WHERE run_id = ANY($1)") { Parameters = { new() { Value = ids } } },
                new NpgsqlBatchCommand("SELECT run_id, key, value FROM tags WHERE run_id = ANY($1)") { Parameters = { new() { Value = ids } } },
                new NpgsqlBatchCommand("SELECT run_id, key, value FROM latest_metrics WHERE run_id = ANY($1)") { Parameters = { new() { Value = ids } } },
                new NpgsqlBatchCommand("""
                    SELECT run_id, name, digest, feature_service, feature_service_version, row_count, start_time, end_time
                    FROM run_inputs WHERE run_id = ANY($1) ORDER BY name, digest
                    """) { Parameters = { new() { Value = ids } } },
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            runs[reader.GetGuid(0)].Params[reader.GetString(1)] = reader.GetString(2);
        }
        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            runs[reader.GetGuid(0)].Tags[reader.GetString(1)] = reader.GetString(2);
        }
        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            runs[reader.GetGuid(0)].Metrics[reader.GetString(1)] = reader.GetDouble(2);
        }
        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var input = new DatasetInput
            {
                Name = reader.GetString(1),
                Digest = reader.GetString(2),
                FeatureService = reader.GetString(3),
                FeatureServiceVersion = reader.GetInt32(4),
                RowCount = reader.GetInt64(5),
            };
            if (!reader.IsDBNull(6))
            {
                input.StartTime = DbValues.ToTimestamp(reader.GetDateTime(6));
            }
            if (!reader.IsDBNull(7))
            {
                input.EndTime = DbValues.ToTimestamp(reader.GetDateTime(7));
            }
            runs[reader.GetGuid(0)].Inputs.Add(input);
        }
    }
}
