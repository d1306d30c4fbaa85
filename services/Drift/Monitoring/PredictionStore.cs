using CreditRisk.Contracts.Events.V1;
using Google.Protobuf;
using Npgsql;
using NpgsqlTypes;

namespace CreditRisk.Drift.Service.Monitoring;

/// <summary>
/// Counts predictions into their streams: in one transaction per batch, each new prediction gets its stream's next
/// number (dense, so a window is a range of numbers) and is written once; a prediction id already counted is skipped.
/// Streams are locked in one order, so concurrent batches of several replicas cannot deadlock.
/// </summary>
public sealed class PredictionStore(NpgsqlDataSource database, TimeProvider clock)
{
    /// <summary>Writes the predictions not yet counted; returns how many were new.</summary>
    public async Task<int> AppendAsync(IReadOnlyList<PredictionLogged> predictions, CancellationToken cancellationToken)
    {
        var unique = predictions.DistinctBy(prediction => prediction.PredictionId, StringComparer.Ordinal).ToList();
        if (unique.Count == 0)
        {
            return 0;
        }
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var known = await KnownAsync(connection, transaction, unique, cancellationToken);
        var fresh = unique.Where(prediction => !known.Contains(prediction.PredictionId)).ToList();
        if (fresh.Count == 0)
        {
            return 0;
        }
        var received = clock.GetUtcNow().UtcDateTime;
        var streams = fresh.GroupBy(prediction => new StreamKey(prediction.ModelName, prediction.ModelVersion, prediction.Served))
            .OrderBy(group => group.Key.ModelName, StringComparer.Ordinal).ThenBy(group => group.Key.ModelVersion).ThenBy(group => group.Key.Served);
        var rows = new List<(PredictionLogged Prediction, long StreamId, long Seq)>(fresh.Count);
        foreach (var stream in streams)
        {
            var members = stream.ToList();
            var (streamId, next) = await ReserveAsync(connection, transaction, stream.Key, members.Count, cancellationToken);
            var seq = next - members.Count;
            rows.AddRange(members.Select(prediction => (prediction, streamId, seq++)));
        }

        await using (var import = await connection.BeginBinaryImportAsync(
            "COPY drift.predictions (prediction_id, stream_id, seq, application_id, predicted_time, received_time, probability, payload) FROM STDIN (FORMAT BINARY)",
            cancellationToken))
        {
            foreach (var (prediction, streamId, seq) in rows)
            {
                await import.StartRowAsync(cancellationToken);
                await import.WriteAsync(prediction.PredictionId, NpgsqlDbType.Text, cancellationToken);
                await import.WriteAsync(streamId, NpgsqlDbType.Bigint, cancellationToken);
                await import.WriteAsync(seq, NpgsqlDbType.Bigint, cancellationToken);
                await import.WriteAsync(prediction.ApplicationId, NpgsqlDbType.Text, cancellationToken);
                await import.WriteAsync(PredictedTime(prediction, received), NpgsqlDbType.TimestampTz, cancellationToken);
                await import.WriteAsync(received, NpgsqlDbType.TimestampTz, cancellationToken);
                await import.WriteAsync(prediction.DefaultProbability, NpgsqlDbType.Double, cancellationToken);
                await import.WriteAsync(prediction.ToByteArray(), NpgsqlDbType.Bytea, cancellationToken);
            }
            await import.CompleteAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return rows.Count;
    }

    /// <summary>When the prediction was scored: its envelope's event time, else when it was received.</summary>
    public static DateTime PredictedTime(PredictionLogged prediction, DateTime received) =>
        prediction.Envelope?.EventTime is { } time ? time.ToDateTime() : received;

    private static async Task<HashSet<string>> KnownAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        IReadOnlyList<PredictionLogged> predictions, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT prediction_id FROM drift.predictions WHERE prediction_id = ANY($1)", connection, transaction);
        command.Parameters.Add(new() { Value = predictions.Select(prediction => prediction.PredictionId).ToArray() });
        var known = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            known.Add(reader.GetString(0));
        }
        return known;
    }

    /// <summary>Takes <paramref name="count"/> numbers of the stream (creating it) and locks its row until commit.</summary>
    private static async Task<(long StreamId, long NextSeq)> ReserveAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, StreamKey key,
        int count, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO drift.streams (model_name, model_version, served, next_seq) VALUES ($1, $2, $3, $4)
            ON CONFLICT (model_name, model_version, served) DO UPDATE SET next_seq = drift.streams.next_seq + EXCLUDED.next_seq
            RETURNING stream_id, next_seq
            """, connection, transaction);
        command.Parameters.Add(new() { Value = key.ModelName });
        command.Parameters.Add(new() { Value = key.ModelVersion });
        command.Parameters.Add(new() { Value = key.Served });
        command.Parameters.Add(new() { Value = (long)count });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
