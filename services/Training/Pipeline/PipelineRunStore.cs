using Npgsql;

namespace CreditRisk.Training.Pipeline;

/// <summary>
/// A run's life in <c>training.pipeline_runs</c>: created once per request id, claimed by one replica at a time under
/// a lease (database time, so replicas' clocks do not matter), renewed, released, finished. Every write of a claimed
/// run names its <see cref="RunLease"/> and changes nothing once another claim replaced it.
/// </summary>
public sealed class PipelineRunStore(NpgsqlDataSource database)
{
    /// <summary>
    /// Creates the run with a pending row per step, or returns the run an earlier call created with the same request id
    /// (<c>created</c> false) whatever its definition.
    /// </summary>
    public async Task<(PipelineRunRecord Run, bool Created)> CreateAsync(NewPipelineRun run, IReadOnlyList<string> stepNames, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await CreateAsync(connection, run, stepNames, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary><see cref="CreateAsync(NewPipelineRun, IReadOnlyList{string}, CancellationToken)"/> inside the caller's transaction.</summary>
    public static async Task<(PipelineRunRecord Run, bool Created)> CreateAsync(
        NpgsqlConnection connection, NewPipelineRun run, IReadOnlyList<string> stepNames, CancellationToken cancellationToken)
    {
        var definition = run.Definition;
        await using (var insert = new NpgsqlCommand($"""
            INSERT INTO training.pipeline_runs (run_id, model_name, feature_service, feature_service_version, cutoff, parameters,
                trigger, request_id, drift_report_id, cache_enabled, status)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, '{RunStatuses.Queued}')
            ON CONFLICT (request_id) DO NOTHING
            """, connection))
        {
            insert.Parameters.Add(DbJson.Value(definition.RunId));
            insert.Parameters.Add(DbJson.Value(definition.ModelName));
            insert.Parameters.Add(DbJson.Value(definition.FeatureService));
            insert.Parameters.Add(DbJson.Value(definition.FeatureServiceVersion));
            insert.Parameters.Add(DbJson.Value(definition.Cutoff));
            insert.Parameters.Add(DbJson.Parameter(definition.Parameters));
            insert.Parameters.Add(DbJson.Value(definition.Trigger));
            insert.Parameters.Add(DbJson.Value(run.RequestId));
            insert.Parameters.Add(DbJson.Value(definition.DriftReportId));
            insert.Parameters.Add(DbJson.Value(run.CacheEnabled));
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 1)
            {
                await using var steps = new NpgsqlCommand($"""
                    INSERT INTO training.pipeline_steps (run_id, ordinal, name, status)
                    SELECT $1, step.ordinal::integer - 1, step.name, '{StepStatuses.Pending}'
                    FROM unnest($2::text[]) WITH ORDINALITY AS step (name, ordinal)
                    """, connection);
                steps.Parameters.Add(DbJson.Value(definition.RunId));
                steps.Parameters.Add(DbJson.Value(stepNames.ToArray()));
                await steps.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        await using var select = new NpgsqlCommand(
            $"SELECT {PipelineRunColumns.List}, run_id = $2 FROM training.pipeline_runs WHERE request_id = $1", connection);
        select.Parameters.Add(DbJson.Value(run.RequestId));
        select.Parameters.Add(DbJson.Value(definition.RunId));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (PipelineRunColumns.Read(reader), reader.GetBoolean(PipelineRunColumns.Count));
    }

    /// <summary>
    /// Claims the oldest queued run, or a running one whose lease expired (its replica died or stopped), for
    /// <paramref name="leaseDuration"/>; null when there is none. Replicas claiming at once skip each other's rows.
    /// </summary>
    public async Task<ClaimedRun?> ClaimAsync(string owner, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand($"""
            WITH candidate AS (
                SELECT run_id FROM training.pipeline_runs
                WHERE status = '{RunStatuses.Queued}' OR (status = '{RunStatuses.Running}' AND lease_expires_at <= now())
                ORDER BY created_at, run_id
                LIMIT 1
                FOR UPDATE SKIP LOCKED)
            UPDATE training.pipeline_runs AS run
            SET status = '{RunStatuses.Running}', started_at = coalesce(run.started_at, now()),
                lease_owner = $1, lease_expires_at = now() + $2, lease_token = run.lease_token + 1
            FROM candidate
            WHERE run.run_id = candidate.run_id
            RETURNING {PipelineRunColumns.Qualified("run")}, run.lease_token
            """);
        command.Parameters.Add(DbJson.Value(owner));
        command.Parameters.Add(DbJson.Value(leaseDuration));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        var run = PipelineRunColumns.Read(reader);
        return new ClaimedRun(new RunLease(run.RunId, owner, reader.GetInt64(PipelineRunColumns.Count)), run);
    }

    /// <summary>Extends the lease; false when it is no longer this claim's (another replica took the run over).</summary>
    public async Task<bool> RenewAsync(RunLease lease, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        await using var command = Fenced(lease, $"UPDATE training.pipeline_runs SET lease_expires_at = now() + $4 WHERE {Fence}");
        command.Parameters.Add(DbJson.Value(leaseDuration));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Ends the lease now, the run still running: any replica resumes it at once (a graceful shutdown).</summary>
    public async Task ReleaseAsync(RunLease lease, CancellationToken cancellationToken)
    {
        await using var command = Fenced(lease, $"UPDATE training.pipeline_runs SET lease_expires_at = now() WHERE {Fence}");
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task SucceedAsync(RunLease lease, CancellationToken cancellationToken) => FinishAsync(lease, RunStatuses.Succeeded, null, cancellationToken);

    /// <summary>A cancellation asked for while it ran, honoured between two steps.</summary>
    public Task CancelAsync(RunLease lease, CancellationToken cancellationToken) => FinishAsync(lease, RunStatuses.Cancelled, null, cancellationToken);

    /// <summary>Fails the run with <paramref name="reason"/>; the caller's transaction also fails the step.</summary>
    public static async Task FailAsync(NpgsqlConnection connection, RunLease lease, string reason, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            UPDATE training.pipeline_runs
            SET status = '{RunStatuses.Failed}', failure_reason = $4, finished_at = now(), lease_expires_at = NULL
            WHERE {Fence}
            """, connection);
        AddLease(command, lease);
        command.Parameters.Add(DbJson.Value(reason));
        if (await command.ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            throw new LeaseLostException(lease);
        }
    }

    public async Task<bool> IsCancelRequestedAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("SELECT cancel_requested FROM training.pipeline_runs WHERE run_id = $1");
        command.Parameters.Add(DbJson.Value(runId));
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    /// <summary>
    /// Cancels a queued run at once, or asks a running one to stop at its next step boundary; a finished run is left
    /// as it is. Null when there is no such run; otherwise the status it had before and has now.
    /// </summary>
    public async Task<(string Before, string After)?> RequestCancelAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand($"""
            UPDATE training.pipeline_runs AS run
            SET status = CASE WHEN run.status = '{RunStatuses.Queued}' THEN '{RunStatuses.Cancelled}' ELSE run.status END,
                finished_at = CASE WHEN run.status = '{RunStatuses.Queued}' THEN now() ELSE run.finished_at END,
                cancel_requested = run.cancel_requested OR run.status IN ('{RunStatuses.Queued}', '{RunStatuses.Running}')
            FROM (SELECT run_id, status FROM training.pipeline_runs WHERE run_id = $1 FOR UPDATE) AS before
            WHERE run.run_id = before.run_id
            RETURNING before.status, run.status
            """);
        command.Parameters.Add(DbJson.Value(runId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetString(0), reader.GetString(1)) : null;
    }

    /// <summary>Runs waiting for a replica: the queued-runs gauge.</summary>
    public async Task<long> CountQueuedAsync(CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand($"SELECT count(*) FROM training.pipeline_runs WHERE status = '{RunStatuses.Queued}'");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>The fence: the run is still this lease's ($1 run id, $2 owner, $3 token) and running.</summary>
    internal const string Fence = $"run_id = $1 AND lease_owner = $2 AND lease_token = $3 AND status = '{RunStatuses.Running}'";

    internal static void AddLease(NpgsqlCommand command, RunLease lease)
    {
        command.Parameters.Add(DbJson.Value(lease.RunId));
        command.Parameters.Add(DbJson.Value(lease.Owner));
        command.Parameters.Add(DbJson.Value(lease.Token));
    }

    private NpgsqlCommand Fenced(RunLease lease, string sql)
    {
        var command = database.CreateCommand(sql);
        AddLease(command, lease);
        return command;
    }

    private async Task FinishAsync(RunLease lease, string status, string? reason, CancellationToken cancellationToken)
    {
        await using var command = Fenced(lease, $"""
            UPDATE training.pipeline_runs
            SET status = $4, failure_reason = $5, finished_at = now(), lease_expires_at = NULL
            WHERE {Fence}
            """);
        command.Parameters.Add(DbJson.Value(status));
        command.Parameters.Add(DbJson.Value(reason));
        if (await command.ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            throw new LeaseLostException(lease);
        }
    }
}
