using CreditRisk.Contracts.Events.V1;
using CreditRisk.Messaging.Consuming;
using CreditRisk.Training.Pipeline;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CreditRisk.Training.Triggers;

/// <summary>
/// Decides each <see cref="RetrainRequested"/> once per request id, and keeps the decision in
/// <c>training.retrain_requests</c>: a run is started unless the model is unknown or a retrain request started one
/// within the cool-down. Decisions about one model are serialised (a transaction-scoped advisory lock), so replicas
/// deciding at once see each other's runs.
/// </summary>
public sealed class RetrainDecider(
    NpgsqlDataSource database,
    ModelCatalog models,
    PipelineStepCatalog steps,
    PipelineRunStarter starter,
    PipelineSignal signal,
    IOptions<RetrainOptions> options,
    TimeProvider time)
{
    public async Task<RetrainDecision> DecideAsync(RetrainRequested request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.RequestId))
        {
            throw new PoisonEventException("the retrain request has no request_id");
        }
        if (string.IsNullOrWhiteSpace(request.ModelName))
        {
            throw new PoisonEventException($"retrain request {request.RequestId} has no model_name");
        }
        var trigger = TriggerOf(request.Trigger);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockModel = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended('training.retrain:' || $1, 0))", connection))
        {
            lockModel.Parameters.Add(DbValue(request.ModelName));
            await lockModel.ExecuteNonQueryAsync(cancellationToken);
        }
        if (await ExistingAsync(connection, request.RequestId, cancellationToken) is { } existing)
        {
            return existing;
        }

        string? skipped = null;
        Guid? runId = null;
        if (!models.TryGet(request.ModelName, out _))
        {
            skipped = $"model '{request.ModelName}' is not configured under Training:Models";
        }
        else if (await LastStartedWithinCooldownAsync(connection, request.ModelName, cancellationToken) is { } last)
        {
            skipped = $"inside the cool-down of model '{request.ModelName}': run {last.RunId} was started at {last.At:O} " +
                $"by retrain request {last.RequestId} (cool-down {options.Value.Cooldown})";
        }
        else
        {
            NewPipelineRun run;
            try
            {
                run = starter.Define(new RunRequest(request.ModelName, "retrain:" + request.RequestId, trigger, DriftReportId: request.DriftReportId,
                    Cutoff: time.GetUtcNow()));
            }
            catch (RpcException refusal) when (refusal.StatusCode == StatusCode.InvalidArgument)
            {
                throw new PoisonEventException($"retrain request {request.RequestId}: {refusal.Status.Detail}");
            }
            runId = (await PipelineRunStore.CreateAsync(connection, run, steps.Names, cancellationToken)).Run.RunId;
        }

        await using (var insert = new NpgsqlCommand("""
            INSERT INTO training.retrain_requests (request_id, model_name, trigger, reason, drift_report_id, decision, decision_reason, run_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """, connection))
        {
            insert.Parameters.Add(DbValue(request.RequestId));
            insert.Parameters.Add(DbValue(request.ModelName));
            insert.Parameters.Add(DbValue(trigger));
            insert.Parameters.Add(DbValue(request.Reason ?? ""));
            insert.Parameters.Add(DbValue(string.IsNullOrWhiteSpace(request.DriftReportId) ? null : request.DriftReportId));
            insert.Parameters.Add(DbValue(skipped is null ? RetrainDecision.Started : RetrainDecision.Skipped));
            insert.Parameters.Add(DbValue(skipped));
            insert.Parameters.Add(DbValue(runId));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        if (runId is not null)
        {
            signal.RunQueued();
        }
        return new RetrainDecision(request.RequestId, skipped is null ? RetrainDecision.Started : RetrainDecision.Skipped, skipped, runId, FirstDelivery: true);
    }

    /// <summary>The trigger recorded on the run: the event's, a manual request when it names none.</summary>
    public static string TriggerOf(RetrainTrigger trigger) => trigger switch
    {
        RetrainTrigger.Drift => RunTriggers.Drift,
        RetrainTrigger.Schedule => RunTriggers.Schedule,
        _ => RunTriggers.Manual,
    };

    private static async Task<RetrainDecision?> ExistingAsync(NpgsqlConnection connection, string requestId, CancellationToken cancellationToken)
    {
        await using var select = new NpgsqlCommand(
            "SELECT decision, decision_reason, run_id FROM training.retrain_requests WHERE request_id = $1", connection);
        select.Parameters.Add(DbValue(requestId));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new RetrainDecision(requestId, reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetGuid(2), FirstDelivery: false)
            : null;
    }

    private async Task<(Guid RunId, DateTimeOffset At, string RequestId)?> LastStartedWithinCooldownAsync(
        NpgsqlConnection connection, string modelName, CancellationToken cancellationToken)
    {
        await using var select = new NpgsqlCommand($"""
            SELECT run_id, received_at, request_id FROM training.retrain_requests
            WHERE model_name = $1 AND decision = '{RetrainDecision.Started}' AND received_at > now() - $2
            ORDER BY received_at DESC LIMIT 1
            """, connection);
        select.Parameters.Add(DbValue(modelName));
        select.Parameters.Add(DbValue(options.Value.Cooldown));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? (reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2))
            : null;
    }

    private static NpgsqlParameter DbValue(object? value) => new() { Value = value ?? DBNull.Value };
}
