using CreditRisk.Messaging.Publishing;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CreditRisk.Outbox;

/// <summary>
/// Publishes pending outbox events in order and marks them relayed once the broker has acknowledged
/// them. At least once: a crash after the acknowledgement and before the mark publishes the event again
/// with the same envelope event id, which consumers deduplicate on.
/// </summary>
public sealed class OutboxRelay(NpgsqlDataSource dataSource, IEventPublisher publisher, IOptions<OutboxOptions> options, TimeProvider clock)
{
    private readonly OutboxTable _table = new(options.Value.Table, options.Value.RelayLockId);
    private readonly KeyValuePair<string, object?> _tag = new(OutboxTelemetry.TableTag, options.Value.Table);

    /// <summary>Relays one batch; returns how many events it published (0 when none were pending or another replica relays).</summary>
    public async Task<int> RelayBatchAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_try_advisory_xact_lock($1)", connection, transaction))
        {
            // One relay at a time across replicas keeps each entity's events in commit order.
            lockCommand.Parameters.Add(new() { Value = _table.RelayLockId });
            if (await lockCommand.ExecuteScalarAsync(cancellationToken) is not true)
            {
                return 0;
            }
        }

        var pending = new List<(long Id, string EventType, string Topic, byte[] Payload, DateTime Created)>();
        await using (var select = new NpgsqlCommand($"SELECT id, event_type, topic, payload, created_time FROM {_table.Name} WHERE relayed_time IS NULL ORDER BY id LIMIT $1", connection, transaction))
        {
            select.Parameters.Add(new() { Value = options.Value.BatchSize });
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                pending.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<byte[]>(3), reader.GetDateTime(4)));
            }
        }
        if (pending.Count == 0)
        {
            return 0;
        }

        // Produce calls are enqueued in order, so the idempotent producer keeps them in order per partition.
        var deliveries = pending
            .Select(row => publisher.PublishAsync(OutboxEventTypes.Parse(row.EventType, row.Payload), row.Topic, cancellationToken))
            .ToList();
        await Task.WhenAll(deliveries);
        var acknowledged = clock.GetUtcNow().UtcDateTime;
        foreach (var row in pending)
        {
            OutboxTelemetry.RelayLag.Record((acknowledged - row.Created).TotalSeconds, _tag);
        }

        await using (var mark = new NpgsqlCommand($"UPDATE {_table.Name} SET relayed_time = $2 WHERE id = ANY($1)", connection, transaction))
        {
            mark.Parameters.Add(new() { Value = pending.Select(row => row.Id).ToArray() });
            mark.Parameters.Add(new() { Value = clock.GetUtcNow().UtcDateTime });
            await mark.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        OutboxTelemetry.EventsRelayed.Add(pending.Count, _tag);
        return pending.Count;
    }
}
