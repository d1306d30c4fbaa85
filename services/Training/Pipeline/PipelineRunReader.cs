using Npgsql;

namespace CreditRisk.Training.Pipeline;

/// <summary>Reads runs for the API: one run with its steps and logs, or pages of runs newest first.</summary>
public sealed class PipelineRunReader(NpgsqlDataSource database)
{
    public async Task<PipelineRunDetails?> GetAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        // One snapshot, so the steps and logs belong to the run as read.
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        PipelineRunRecord run;
        await using (var select = new NpgsqlCommand($"SELECT {PipelineRunColumns.List} FROM training.pipeline_runs WHERE run_id = $1", connection))
        {
            select.Parameters.Add(DbJson.Value(runId));
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }
            run = PipelineRunColumns.Read(reader);
        }
        var steps = await PipelineStepStore.ReadAsync(connection, runId, cancellationToken);
        var logs = new List<StepLogRecord>();
        await using (var select = new NpgsqlCommand(
            "SELECT step_name, logged_at, message FROM training.pipeline_step_logs WHERE run_id = $1 ORDER BY id", connection))
        {
            select.Parameters.Add(DbJson.Value(runId));
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                logs.Add(new StepLogRecord(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2)));
            }
        }
        var digests = steps.SelectMany(step => step.Output?.Blobs.Values ?? []).Distinct(StringComparer.Ordinal).ToList();
        var sizes = await BlobStore.SizesAsync(connection, digests, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new PipelineRunDetails(run, steps, logs, sizes);
    }

    /// <summary>
    /// Up to <paramref name="limit"/> runs, newest first, created before <paramref name="after"/> (the last run of the
    /// previous page) when given; <paramref name="modelName"/> and <paramref name="status"/> filter when not null.
    /// </summary>
    public async Task<IReadOnlyList<PipelineRunRecord>> ListAsync(string? modelName, string? status, int limit,
        (DateTimeOffset CreatedAt, Guid RunId)? after, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand($"""
            SELECT {PipelineRunColumns.List} FROM training.pipeline_runs
            WHERE ($1::text IS NULL OR model_name = $1) AND ($2::text IS NULL OR status = $2)
              AND ($3::timestamptz IS NULL OR (created_at, run_id) < ($3, $4::uuid))
            ORDER BY created_at DESC, run_id DESC
            LIMIT $5
            """);
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = modelName, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = status, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = after?.CreatedAt ?? (object)DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = after?.RunId ?? (object)DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
        command.Parameters.Add(DbJson.Value(limit));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var runs = new List<PipelineRunRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            runs.Add(PipelineRunColumns.Read(reader));
        }
        return runs;
    }
}
