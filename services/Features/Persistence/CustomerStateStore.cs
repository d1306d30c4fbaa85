using CreditRisk.Features.Processing;
using Npgsql;
using NpgsqlTypes;

namespace CreditRisk.Features.Persistence;

/// <summary>
/// The processor's durable state in PostgreSQL: per-customer window state (optimistically versioned) and the
/// ids of applied raw events. <see cref="CommitAsync"/> writes both in one transaction.
/// </summary>
public sealed class CustomerStateStore(NpgsqlDataSource database)
{
    /// <summary>The ids among <paramref name="eventIds"/> whose effect is already stored.</summary>
    public async Task<HashSet<string>> GetAppliedAsync(IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken)
    {
        var applied = new HashSet<string>(StringComparer.Ordinal);
        if (eventIds.Count == 0)
        {
            return applied;
        }
        await using var command = database.CreateCommand("SELECT event_id FROM feature_processor.applied_events WHERE event_id = ANY($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = eventIds.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            applied.Add(reader.GetString(0));
        }
        return applied;
    }

    /// <summary>The stored states of <paramref name="customerIds"/>; customers without one are absent.</summary>
    public async Task<Dictionary<string, CustomerProcessingState>> LoadAsync(IReadOnlyCollection<string> customerIds, CancellationToken cancellationToken)
    {
        var states = new Dictionary<string, CustomerProcessingState>(StringComparer.Ordinal);
        if (customerIds.Count == 0)
        {
            return states;
        }
        await using var command = database.CreateCommand(
            "SELECT customer_id, version, state, latest FROM feature_processor.customer_state WHERE customer_id = ANY($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = customerIds.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            states[reader.GetString(0)] = CustomerProcessingState.FromStored(
                reader.GetInt64(1), reader.GetFieldValue<byte[]>(2), reader.GetFieldValue<byte[]>(3));
        }
        return states;
    }

    /// <summary>
    /// In one transaction: records <paramref name="appliedEventIds"/> and stores each state as version + 1 of the
    /// version it was read from. Throws <see cref="ConcurrentStateUpdateException"/> (and changes nothing) when
    /// another writer got there first.
    /// </summary>
    public async Task CommitAsync(IReadOnlyList<CustomerProcessingState> states, IReadOnlyCollection<string> appliedEventIds, CancellationToken cancellationToken)
    {
        if (states.Count == 0 && appliedEventIds.Count == 0)
        {
            return;
        }
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            if (appliedEventIds.Count > 0)
            {
                // Binary COPY: the batch was checked against this table, so a clash can only be a concurrent writer.
                await using var import = await connection.BeginBinaryImportAsync(
                    "COPY feature_processor.applied_events (event_id) FROM STDIN (FORMAT BINARY)", cancellationToken);
                foreach (var eventId in appliedEventIds)
                {
                    await import.StartRowAsync(cancellationToken);
                    await import.WriteAsync(eventId, NpgsqlDbType.Text, cancellationToken);
                }
                await import.CompleteAsync(cancellationToken);
            }
            if (states.Count > 0)
            {
                await using var upsert = new NpgsqlCommand("""
                    INSERT INTO feature_processor.customer_state AS stored (customer_id, version, state, latest)
                    SELECT * FROM unnest($1::text[], $2::bigint[], $3::bytea[], $4::bytea[])
                    ON CONFLICT (customer_id) DO UPDATE
                        SET version = excluded.version, state = excluded.state, latest = excluded.latest, updated_at = now()
                        WHERE stored.version = excluded.version - 1
                    """, connection, transaction);
                upsert.Parameters.Add(new NpgsqlParameter { Value = states.Select(state => state.CustomerId).ToArray() });
                upsert.Parameters.Add(new NpgsqlParameter { Value = states.Select(state => state.Version + 1).ToArray() });
                upsert.Parameters.Add(new NpgsqlParameter { Value = states.Select(state => state.Features.ToBytes()).ToArray() });
                upsert.Parameters.Add(new NpgsqlParameter { Value = states.Select(state => state.LatestToBytes()).ToArray() });
                var written = await upsert.ExecuteNonQueryAsync(cancellationToken);
                if (written != states.Count)
                {
                    throw new ConcurrentStateUpdateException(
                        $"{states.Count - written} of {states.Count} customer states were changed by another writer");
                }
            }
            await transaction.CommitAsync(cancellationToken);
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new ConcurrentStateUpdateException("an event of the batch was applied by another writer", exception);
        }
        foreach (var state in states)
        {
            state.Committed();
        }
    }
}
