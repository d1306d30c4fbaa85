using CreditRisk.Contracts.Events.V1;
using Google.Protobuf;
using Npgsql;
using NpgsqlTypes;

namespace CreditRisk.Drift.Service.Monitoring;

/// <summary>The window closer's reads and writes of drift.streams, drift.predictions and drift.windows.</summary>
public sealed class WindowStore(NpgsqlDataSource database)
{
    public NpgsqlDataSource Database => database;

    /// <summary>Streams with predictions not yet covered by a window.</summary>
    public async Task<IReadOnlyList<StreamState>> PendingStreamsAsync(CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("""
            SELECT s.stream_id, s.model_name, s.model_version, s.served, s.next_seq, s.closed_until,
                   (SELECT p.received_time FROM drift.predictions p WHERE p.stream_id = s.stream_id AND p.seq = s.closed_until)
            FROM drift.streams s WHERE s.next_seq > s.closed_until ORDER BY s.stream_id
            """);
        var streams = new List<StreamState>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            streams.Add(new StreamState(reader.GetInt64(0), new StreamKey(reader.GetString(1), reader.GetInt32(2), reader.GetBoolean(3)),
                reader.GetInt64(4), reader.GetInt64(5), reader.IsDBNull(6) ? null : reader.GetDateTime(6)));
        }
        return streams;
    }

    /// <summary>The window's predictions in stream order, each with its application's outcome when known.</summary>
    public static async Task<(IReadOnlyList<WindowPrediction> Predictions, WindowRange Range)> LoadWindowAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, long streamId, long startSeq, long endSeq, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT p.payload, o.defaulted, p.predicted_time FROM drift.predictions p
            LEFT JOIN drift.outcomes o ON o.application_id = p.application_id AND p.application_id <> ''
            WHERE p.stream_id = $1 AND p.seq >= $2 AND p.seq < $3 ORDER BY p.seq
            """, connection, transaction);
        command.Parameters.Add(new() { Value = streamId });
        command.Parameters.Add(new() { Value = startSeq });
        command.Parameters.Add(new() { Value = endSeq });
        var predictions = new List<WindowPrediction>((int)Math.Min(endSeq - startSeq, 1_000_000));
        DateTime first = DateTime.MaxValue, last = DateTime.MinValue;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var prediction = PredictionLogged.Parser.ParseFrom(reader.GetFieldValue<byte[]>(0));
            predictions.Add(new WindowPrediction(prediction, reader.IsDBNull(1) ? null : reader.GetBoolean(1)));
            var predicted = reader.GetDateTime(2);
            if (predicted < first) first = predicted;
            if (predicted > last) last = predicted;
        }
        if (predictions.Count != endSeq - startSeq)
        {
            throw new InvalidOperationException($"stream {streamId} holds {predictions.Count} predictions in [{startSeq}, {endSeq}), not {endSeq - startSeq}");
        }
        return (predictions, new WindowRange(startSeq, endSeq, first, last));
    }

    /// <summary>Moves the stream's closed mark from <paramref name="expected"/>; false when another closer moved it first.</summary>
    public static async Task<bool> AdvanceAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long streamId, long expected, long closedUntil,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "UPDATE drift.streams SET closed_until = $3 WHERE stream_id = $1 AND closed_until = $2", connection, transaction);
        command.Parameters.Add(new() { Value = streamId });
        command.Parameters.Add(new() { Value = expected });
        command.Parameters.Add(new() { Value = closedUntil });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public static async Task InsertWindowAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string reportId, long streamId, StreamKey stream,
        WindowRange range, string status, DriftReportPublished? report, string? html, DateTime now, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO drift.windows (report_id, stream_id, start_seq, end_seq, model_name, model_version, served, window_start, window_end, status,
                                       dataset_drift, prediction_drift, drift_share, labelled, report, html, created_time, updated_time)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17)
            """, connection, transaction);
        command.Parameters.Add(new() { Value = reportId });
        command.Parameters.Add(new() { Value = streamId });
        command.Parameters.Add(new() { Value = range.StartSeq });
        command.Parameters.Add(new() { Value = range.EndSeq });
        command.Parameters.Add(new() { Value = stream.ModelName });
        command.Parameters.Add(new() { Value = stream.ModelVersion });
        command.Parameters.Add(new() { Value = stream.Served });
        command.Parameters.Add(new() { Value = range.FirstPredicted });
        command.Parameters.Add(new() { Value = range.LastPredicted });
        command.Parameters.Add(new() { Value = status });
        command.Parameters.Add(new() { Value = report?.DriftDetected ?? false });
        command.Parameters.Add(new() { Value = report?.PredictionDrift ?? false });
        command.Parameters.Add(new() { Value = report?.DriftShare ?? 0 });
        command.Parameters.Add(new() { Value = report?.Performance?.Labelled ?? 0 });
        command.Parameters.Add(new() { Value = (object?)report?.ToByteArray() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bytea });
        command.Parameters.Add(new() { Value = (object?)html ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = now });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Reports whose performance an outcome made stale, oldest first.</summary>
    public async Task<IReadOnlyList<string>> StaleReportsAsync(int limit, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(
            "SELECT report_id FROM drift.windows WHERE performance_stale ORDER BY created_time LIMIT $1");
        command.Parameters.Add(new() { Value = limit });
        var reports = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            reports.Add(reader.GetString(0));
        }
        return reports;
    }

    /// <summary>Locks a stale window until commit and returns where it is, or null when it is no longer stale.</summary>
    public static async Task<(long StreamId, long StartSeq, long EndSeq, DriftReportPublished Report)?> LockStaleAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string reportId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT stream_id, start_seq, end_seq, report FROM drift.windows WHERE report_id = $1 AND performance_stale AND report IS NOT NULL FOR UPDATE
            """, connection, transaction);
        command.Parameters.Add(new() { Value = reportId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), DriftReportPublished.Parser.ParseFrom(reader.GetFieldValue<byte[]>(3)));
    }

    public static async Task UpdateReportAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DriftReportPublished report, string html,
        DateTime now, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            UPDATE drift.windows SET report = $2, html = $3, labelled = $4, performance_stale = false, updated_time = $5 WHERE report_id = $1
            """, connection, transaction);
        command.Parameters.Add(new() { Value = report.ReportId });
        command.Parameters.Add(new() { Value = report.ToByteArray() });
        command.Parameters.Add(new() { Value = html });
        command.Parameters.Add(new() { Value = report.Performance?.Labelled ?? 0 });
        command.Parameters.Add(new() { Value = now });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
