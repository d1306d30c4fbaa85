using Npgsql;

namespace CreditRisk.Training.Pipeline;

/// <summary>
/// The steps of claimed runs in <c>training.pipeline_steps</c> and their log lines. Each write is a transaction that
/// first locks the run's row for as long as its lease is this claim's: a replica that lost the run writes nothing, and
/// a claim cannot slip between the check and the write.
/// </summary>
public sealed class PipelineStepStore(NpgsqlDataSource database)
{
    public async Task<IReadOnlyList<PipelineStepRecord>> ReadAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await ReadAsync(connection, runId, cancellationToken);
    }

    internal static async Task<IReadOnlyList<PipelineStepRecord>> ReadAsync(NpgsqlConnection connection, Guid runId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT name, ordinal, status, attempts, cache_key, input_digests, output_values, output_blobs, output_digest,
                   started_at, finished_at, duration_ms, error, cached_from
            FROM training.pipeline_steps WHERE run_id = $1 ORDER BY ordinal
            """, connection);
        command.Parameters.Add(DbJson.Value(runId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var steps = new List<PipelineStepRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var output = reader.IsDBNull(6) ? null : new StepOutput(DbJson.Read(reader, 6), DbJson.Read(reader, 7));
            steps.Add(new PipelineStepRecord(
                reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.GetInt32(3), DbJson.ReadText(reader, 4),
                DbJson.Read(reader, 5), output, DbJson.ReadText(reader, 8), DbJson.ReadTime(reader, 9), DbJson.ReadTime(reader, 10),
                reader.IsDBNull(11) ? null : reader.GetDouble(11), DbJson.ReadText(reader, 12), reader.IsDBNull(13) ? null : reader.GetGuid(13)));
        }
        return steps;
    }

    /// <summary>Adds a pending row for a step registered after the run was created.</summary>
    public Task AddAsync(RunLease lease, string step, int ordinal, CancellationToken cancellationToken) =>
        FencedAsync(lease, async (connection, ct) => await ExecuteAsync(connection, lease, $"""
            INSERT INTO training.pipeline_steps (run_id, ordinal, name, status)
            VALUES ($1, (SELECT coalesce(max(ordinal) + 1, $5) FROM training.pipeline_steps WHERE run_id = $1), $4, '{StepStatuses.Pending}')
            ON CONFLICT DO NOTHING
            """, ct, step, ordinal), cancellationToken);

    /// <summary>A succeeded execution with <paramref name="cacheKey"/> in any run: its run id and output.</summary>
    public async Task<(Guid RunId, StepOutput Output, string Digest)?> FindCachedAsync(string cacheKey, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand($"""
            SELECT run_id, output_values, output_blobs, output_digest FROM training.pipeline_steps
            WHERE cache_key = $1 AND status = '{StepStatuses.Succeeded}'
            ORDER BY finished_at LIMIT 1
            """);
        command.Parameters.Add(DbJson.Value(cacheKey));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        return (reader.GetGuid(0), new StepOutput(DbJson.Read(reader, 1), DbJson.Read(reader, 2)), reader.GetString(3));
    }

    /// <summary>One more execution of the step begins (retries and resumptions count).</summary>
    public Task BeginAttemptAsync(RunLease lease, string step, string cacheKey, IReadOnlyDictionary<string, string> inputDigests, CancellationToken cancellationToken) =>
        FencedAsync(lease, async (connection, ct) => await ExecuteAsync(connection, lease, $"""
            UPDATE training.pipeline_steps
            SET status = '{StepStatuses.Running}', attempts = attempts + 1, started_at = now(), finished_at = NULL, error = NULL,
                cache_key = $5, input_digests = $6
            WHERE run_id = $1 AND name = $4
            """, ct, step, cacheKey, DbJson.Parameter(inputDigests)), cancellationToken);

    public Task SucceedAsync(RunLease lease, string step, StepOutput output, string outputDigest, TimeSpan duration, CancellationToken cancellationToken) =>
        FencedAsync(lease, async (connection, ct) => await ExecuteAsync(connection, lease, $"""
            UPDATE training.pipeline_steps
            SET status = '{StepStatuses.Succeeded}', output_values = $5, output_blobs = $6, output_digest = $7, finished_at = now(),
                duration_ms = $8, error = NULL
            WHERE run_id = $1 AND name = $4
            """, ct, step, DbJson.Parameter(output.Values), DbJson.Parameter(output.Blobs), outputDigest, duration.TotalMilliseconds), cancellationToken);

    /// <summary>The step took an earlier execution's output instead of running.</summary>
    public Task RecordCacheHitAsync(RunLease lease, string step, string cacheKey, IReadOnlyDictionary<string, string> inputDigests,
        Guid sourceRun, StepOutput output, string outputDigest, CancellationToken cancellationToken) =>
        FencedAsync(lease, async (connection, ct) => await ExecuteAsync(connection, lease, $"""
            UPDATE training.pipeline_steps
            SET status = '{StepStatuses.Cached}', cache_key = $5, input_digests = $6, output_values = $7, output_blobs = $8,
                output_digest = $9, cached_from = $10, started_at = now(), finished_at = now(), duration_ms = 0, error = NULL
            WHERE run_id = $1 AND name = $4
            """, ct, step, cacheKey, DbJson.Parameter(inputDigests), DbJson.Parameter(output.Values), DbJson.Parameter(output.Blobs),
            outputDigest, sourceRun), cancellationToken);

    /// <summary>Fails the step with <paramref name="error"/> and the run with <paramref name="runReason"/>, together.</summary>
    public Task FailAsync(RunLease lease, string step, string error, string runReason, CancellationToken cancellationToken) =>
        FencedAsync(lease, async (connection, ct) =>
        {
            await ExecuteAsync(connection, lease, $"""
                UPDATE training.pipeline_steps SET status = '{StepStatuses.Failed}', error = $5, finished_at = now()
                WHERE run_id = $1 AND name = $4
                """, ct, step, error);
            await PipelineRunStore.FailAsync(connection, lease, runReason, ct);
        }, cancellationToken);

    /// <summary>A step interrupted by a shutdown goes back to pending, for whichever replica resumes the run.</summary>
    public Task ResetAsync(RunLease lease, string step, CancellationToken cancellationToken) =>
        FencedAsync(lease, async (connection, ct) => await ExecuteAsync(connection, lease, $"""
            UPDATE training.pipeline_steps SET status = '{StepStatuses.Pending}'
            WHERE run_id = $1 AND name = $4 AND status = '{StepStatuses.Running}'
            """, ct, step), cancellationToken);

    public Task AppendLogsAsync(RunLease lease, string step, IReadOnlyList<(DateTimeOffset At, string Message)> lines, CancellationToken cancellationToken) =>
        FencedAsync(lease, async (connection, ct) => await ExecuteAsync(connection, lease, """
            INSERT INTO training.pipeline_step_logs (run_id, step_name, logged_at, message)
            SELECT $1, $4, line.logged_at, line.message FROM unnest($5::timestamptz[], $6::text[]) AS line (logged_at, message)
            """, ct, step, lines.Select(line => line.At).ToArray(), lines.Select(line => line.Message).ToArray()), cancellationToken);

    private async Task FencedAsync(RunLease lease, Func<NpgsqlConnection, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var fence = new NpgsqlCommand($"SELECT 1 FROM training.pipeline_runs WHERE {PipelineRunStore.Fence} FOR SHARE", connection))
        {
            PipelineRunStore.AddLease(fence, lease);
            if (await fence.ExecuteScalarAsync(cancellationToken) is null)
            {
                throw new LeaseLostException(lease);
            }
        }
        await write(connection, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Runs <paramref name="sql"/> with the lease as $1..$3 and <paramref name="values"/> from $4 on.</summary>
    private static async Task ExecuteAsync(NpgsqlConnection connection, RunLease lease, string sql, CancellationToken cancellationToken, params object?[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        PipelineRunStore.AddLease(command, lease);
        foreach (var value in values)
        {
            command.Parameters.Add(value as NpgsqlParameter ?? DbJson.Value(value));
        }
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
