using Confluent.Kafka;
using CreditRisk.Features.Processing;
using Npgsql;
using NpgsqlTypes;

namespace CreditRisk.Features.Persistence;

/// <summary>
/// The processor's checkpoints in PostgreSQL: per-customer window state and per source partition the next offset
/// to apply, both optimistically fenced. <see cref="CheckpointAsync"/> writes them in one transaction, so a stored
/// offset never runs ahead of the states it produced.
/// </summary>
public sealed class CustomerStateStore(NpgsqlDataSource database)
{
    /// <summary>The next offset to apply of each of <paramref name="partitions"/> that has a checkpoint.</summary>
    public async Task<Dictionary<TopicPartition, long>> LoadOffsetsAsync(IReadOnlyCollection<TopicPartition> partitions, CancellationToken cancellationToken)
    {
        var offsets = new Dictionary<TopicPartition, long>();
        if (partitions.Count == 0)
        {
            return offsets;
        }
        await using var command = database.CreateCommand("""
            SELECT stored.topic, stored.partition, stored.next_offset
            FROM feature_processor.source_offsets AS stored
            JOIN unnest($1::text[], $2::integer[]) AS wanted (topic, partition) USING (topic, partition)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = partitions.Select(partition => partition.Topic).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = partitions.Select(partition => partition.Partition.Value).ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            offsets[new TopicPartition(reader.GetString(0), new Partition(reader.GetInt32(1)))] = reader.GetInt64(2);
        }
        return offsets;
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
    /// In one transaction: stores each state snapshot if the stored version is the one before it, and moves each
    /// partition's next offset from the value it was read as (<see cref="OffsetCheckpoint.From"/>, null = none stored)
    /// to <see cref="OffsetCheckpoint.To"/>. Throws <see cref="ConcurrentStateUpdateException"/> (and changes
    /// nothing) when another writer got to a state or an offset first.
    /// </summary>
    public async Task CheckpointAsync(IReadOnlyList<StateSnapshot> states, IReadOnlyList<OffsetCheckpoint> offsets, CancellationToken cancellationToken)
    {
        if (states.Count == 0 && offsets.Count == 0)
        {
            return;
        }
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (states.Count > 0)
        {
            // In the primary key's order: consecutive upserts then walk its pages in one direction (as the offline
            // store's rows are written; see SeriesKey) instead of touching a random page each.
            states = [.. states.OrderBy(state => state.CustomerId, StringComparer.Ordinal)];
            await using var upsert = new NpgsqlCommand("""
                INSERT INTO feature_processor.customer_state AS stored (customer_id, version, state, latest)
                SELECT * FROM unnest($1::text[], $2::bigint[], $3::bytea[], $4::bytea[])
                ON CONFLICT (customer_id) DO UPDATE
                    SET version = excluded.version, state = excluded.state, latest = excluded.latest, updated_at = now()
                    WHERE stored.version = excluded.version - 1
                """, connection, transaction);
            upsert.Parameters.Add(new NpgsqlParameter { Value = states.Select(state => state.CustomerId).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter { Value = states.Select(state => state.Version).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter { Value = states.Select(state => state.State).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter { Value = states.Select(state => state.Latest).ToArray() });
            var written = await upsert.ExecuteNonQueryAsync(cancellationToken);
            if (written != states.Count)
            {
                throw new ConcurrentStateUpdateException(
                    $"{states.Count - written} of {states.Count} customer states were changed by another writer");
            }
        }
        if (offsets.Count > 0)
        {
            // A partition without a stored offset (previous = -1) is inserted, unless a concurrent first writer got
            // there; one with an offset moves only from the value this instance read.
            await using var upsert = new NpgsqlCommand("""
                WITH checkpoint AS (
                    SELECT * FROM unnest($1::text[], $2::integer[], $3::bigint[], $4::bigint[]) AS c (topic, partition, next_offset, previous)),
                moved AS (
                    UPDATE feature_processor.source_offsets AS stored SET next_offset = checkpoint.next_offset, updated_at = now()
                    FROM checkpoint
                    WHERE checkpoint.previous >= 0 AND stored.topic = checkpoint.topic AND stored.partition = checkpoint.partition
                        AND stored.next_offset = checkpoint.previous
                    RETURNING 1),
                inserted AS (
                    INSERT INTO feature_processor.source_offsets (topic, partition, next_offset)
                    SELECT topic, partition, next_offset FROM checkpoint WHERE previous < 0
                    ON CONFLICT DO NOTHING
                    RETURNING 1)
                SELECT (SELECT count(*) FROM moved) + (SELECT count(*) FROM inserted)
                """, connection, transaction);
            upsert.Parameters.Add(new NpgsqlParameter { Value = offsets.Select(offset => offset.Partition.Topic).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter { Value = offsets.Select(offset => offset.Partition.Partition.Value).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter { Value = offsets.Select(offset => offset.To).ToArray() });
            upsert.Parameters.Add(new NpgsqlParameter { Value = offsets.Select(offset => offset.From ?? -1).ToArray() });
            var written = (long)(await upsert.ExecuteScalarAsync(cancellationToken))!;
            if (written != offsets.Count)
            {
                throw new ConcurrentStateUpdateException(
                    $"{offsets.Count - written} of {offsets.Count} source offsets were moved by another writer");
            }
        }
        await transaction.CommitAsync(cancellationToken);
    }
}

/// <summary>One partition's move in a checkpoint: from the next offset read (null = none stored) to the next one now applied.</summary>
public readonly record struct OffsetCheckpoint(TopicPartition Partition, long? From, long To);
