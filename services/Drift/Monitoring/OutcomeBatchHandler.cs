using CreditRisk.Contracts.Events.V1;
using CreditRisk.Drift.Service.Telemetry;
using CreditRisk.Messaging.Consuming;
using Npgsql;

namespace CreditRisk.Drift.Service.Monitoring;

/// <summary>
/// Consumes LoanOutcomeRecorded in batches: each application's latest outcome is kept (a redelivery changes nothing,
/// a later correction replaces it), and every closed window holding one of those applications' predictions is marked
/// for its performance to be computed again. An outcome for an application no monitored prediction had is kept (its
/// prediction may be behind it in the log) and counted; one without application id or outcome is dead-lettered.
/// </summary>
public sealed class OutcomeBatchHandler(NpgsqlDataSource database, WindowSignal windows, ILogger<OutcomeBatchHandler> logger)
    : IEventBatchHandler<LoanOutcomeRecorded>
{
    public async Task<IReadOnlyList<EventRejection>> HandleBatchAsync(IReadOnlyList<ConsumedEvent<LoanOutcomeRecorded>> batch, CancellationToken cancellationToken)
    {
        var rejections = new List<EventRejection>();
        var latest = new Dictionary<string, (bool Defaulted, string EventId, DateTime Recorded)>(StringComparer.Ordinal);
        for (var i = 0; i < batch.Count; i++)
        {
            var outcome = batch[i].Event;
            if (string.IsNullOrWhiteSpace(outcome.ApplicationId))
            {
                rejections.Add(new EventRejection(i, "application_id is empty"));
                continue;
            }
            if (outcome.Outcome is not (LoanOutcome.Repaid or LoanOutcome.Defaulted))
            {
                rejections.Add(new EventRejection(i, $"outcome {outcome.Outcome} of application {outcome.ApplicationId} is neither repaid nor defaulted"));
                continue;
            }
            var recorded = outcome.Envelope?.RecordedTime?.ToDateTime() ?? batch[i].Context.Timestamp.UtcDateTime;
            // In log order, a later outcome of the same application is its correction.
            latest[outcome.ApplicationId] = (outcome.Outcome == LoanOutcome.Defaulted, outcome.Envelope?.EventId ?? $"{batch[i].Context.Topic}/{batch[i].Context.Partition}@{batch[i].Context.Offset}", recorded);
        }
        foreach (var rejected in rejections)
        {
            logger.LogWarning("Loan outcome at offset {Offset} dead-lettered: {Reason}", batch[rejected.Index].Context.Offset, rejected.Reason);
        }
        if (latest.Count == 0)
        {
            return rejections;
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var applications = latest.Keys.ToArray();
        var changed = new List<string>();
        await using (var upsert = new NpgsqlCommand("""
            INSERT INTO drift.outcomes (application_id, defaulted, event_id, recorded_time)
            SELECT * FROM unnest($1::text[], $2::boolean[], $3::text[], $4::timestamptz[])
            ON CONFLICT (application_id) DO UPDATE SET defaulted = EXCLUDED.defaulted, event_id = EXCLUDED.event_id, recorded_time = EXCLUDED.recorded_time
                WHERE drift.outcomes.event_id <> EXCLUDED.event_id AND EXCLUDED.recorded_time >= drift.outcomes.recorded_time
            RETURNING application_id
            """, connection, transaction))
        {
            upsert.Parameters.Add(new() { Value = applications });
            upsert.Parameters.Add(new() { Value = applications.Select(id => latest[id].Defaulted).ToArray() });
            upsert.Parameters.Add(new() { Value = applications.Select(id => latest[id].EventId).ToArray() });
            upsert.Parameters.Add(new() { Value = applications.Select(id => latest[id].Recorded).ToArray() });
            await using var reader = await upsert.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                changed.Add(reader.GetString(0));
            }
        }
        if (changed.Count > 0)
        {
            long known;
            await using (var count = new NpgsqlCommand(
                "SELECT count(DISTINCT application_id) FROM drift.predictions WHERE application_id = ANY($1)", connection, transaction))
            {
                count.Parameters.Add(new() { Value = changed.ToArray() });
                known = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
            }
            await using (var stale = new NpgsqlCommand("""
                UPDATE drift.windows AS w SET performance_stale = true
                FROM drift.predictions AS p
                WHERE p.application_id = ANY($1) AND w.stream_id = p.stream_id AND p.seq >= w.start_seq AND p.seq < w.end_seq
                  AND w.status = 'reported' AND NOT w.performance_stale
                """, connection, transaction))
            {
                stale.Parameters.Add(new() { Value = changed.ToArray() });
                await stale.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
            DriftTelemetry.OutcomesRecorded.Add(known, new KeyValuePair<string, object?>("matched", true));
            if (changed.Count > known)
            {
                DriftTelemetry.OutcomesRecorded.Add(changed.Count - known, new KeyValuePair<string, object?>("matched", false));
                logger.LogInformation("{Unknown} of {Outcomes} loan outcomes are for applications no monitored prediction had (yet); kept for when it arrives",
                    changed.Count - known, changed.Count);
            }
            windows.Notify();
        }
        else
        {
            await transaction.CommitAsync(cancellationToken);
        }
        return rejections;
    }
}
