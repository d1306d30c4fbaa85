using System.Buffers.Text;
using System.Globalization;
using System.Text;
using CreditRisk.Contracts.Drift.V1;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Contracts.Rpc;
using Grpc.Core;
using Npgsql;

namespace CreditRisk.Drift.Service.Api;

/// <summary>The reports as the API and the pages read them from drift.windows, newest first (keyset pages).</summary>
public sealed class DriftReportReader(NpgsqlDataSource database)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    public async Task<DriftReportPublished> GetAsync(string reportId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reportId)) throw FieldViolations.Single("report_id", "required");
        await using var command = database.CreateCommand("SELECT report, status FROM drift.windows WHERE report_id = $1");
        command.Parameters.Add(new() { Value = reportId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"no drift report '{reportId}'"));
        }
        return reader.IsDBNull(0)
            ? throw new RpcException(new Status(StatusCode.FailedPrecondition, $"window '{reportId}' was not tested: {reader.GetString(1)}"))
            : DriftReportPublished.Parser.ParseFrom(reader.GetFieldValue<byte[]>(0));
    }

    public async Task<DriftReportPublished> LatestAsync(GetLatestReportRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.ModelName)) throw FieldViolations.Single("model_name", "required");
        await using var command = database.CreateCommand("""
            SELECT report FROM drift.windows WHERE model_name = $1 AND served = $2 AND report IS NOT NULL
            ORDER BY created_time DESC, report_id DESC LIMIT 1
            """);
        command.Parameters.Add(new() { Value = request.ModelName });
        command.Parameters.Add(new() { Value = !request.Shadow });
        return await command.ExecuteScalarAsync(cancellationToken) is byte[] bytes
            ? DriftReportPublished.Parser.ParseFrom(bytes)
            : throw new RpcException(new Status(StatusCode.NotFound, $"no drift report of model '{request.ModelName}' yet"));
    }

    public async Task<ListReportsResponse> ListAsync(ListReportsRequest request, CancellationToken cancellationToken)
    {
        var size = request.PageSize switch
        {
            0 => DefaultPageSize,
            >= 1 and <= MaxPageSize => request.PageSize,
            _ => throw FieldViolations.Single("page_size", $"between 1 and {MaxPageSize}, or 0 for {DefaultPageSize}"),
        };
        var after = DecodeToken(request.PageToken);
        await using var command = database.CreateCommand("""
            SELECT report, created_time, report_id FROM drift.windows
            WHERE report IS NOT NULL AND ($1 = '' OR model_name = $1) AND ($2::timestamptz IS NULL OR (created_time, report_id) < ($2, $3))
            ORDER BY created_time DESC, report_id DESC LIMIT $4
            """);
        command.Parameters.Add(new() { Value = request.ModelName ?? "" });
        command.Parameters.Add(new() { Value = (object?)after?.Created ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = after?.ReportId ?? "" });
        command.Parameters.Add(new() { Value = size + 1 });
        var response = new ListReportsResponse();
        (DateTime Created, string ReportId)? last = null;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (response.Reports.Count == size)
            {
                response.NextPageToken = EncodeToken(last!.Value);
                break;
            }
            response.Reports.Add(DriftReportPublished.Parser.ParseFrom(reader.GetFieldValue<byte[]>(0)));
            last = (reader.GetDateTime(1), reader.GetString(2));
        }
        return response;
    }

    /// <summary>The report's page, or null when there is no tested window with that id.</summary>
    public async Task<string?> HtmlAsync(string reportId, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("SELECT html FROM drift.windows WHERE report_id = $1");
        command.Parameters.Add(new() { Value = reportId });
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>Every window of a model (or every model's when empty), newest first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<(string Model, ReportSummary Summary)>> SummariesAsync(string? model, int limit, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("""
            SELECT w.model_name, w.report_id, w.model_version, w.served, w.window_start, w.window_end, w.end_seq - w.start_seq, w.status,
                   w.dataset_drift, w.prediction_drift, w.drift_share, w.labelled, w.created_time, EXISTS (SELECT 1 FROM drift.alerts a WHERE a.report_id = w.report_id AND a.raised)
            FROM drift.windows w WHERE ($1 = '' OR w.model_name = $1) ORDER BY w.created_time DESC, w.report_id DESC LIMIT $2
            """);
        command.Parameters.Add(new() { Value = model ?? "" });
        command.Parameters.Add(new() { Value = limit });
        var summaries = new List<(string, ReportSummary)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            summaries.Add((reader.GetString(0), new ReportSummary(reader.GetString(1), reader.GetInt32(2), reader.GetBoolean(3), reader.GetDateTime(4),
                reader.GetDateTime(5), reader.GetInt64(6), reader.GetString(7), reader.GetBoolean(8), reader.GetBoolean(9), reader.GetDouble(10),
                reader.GetInt64(11), reader.GetDateTime(12), reader.GetBoolean(13))));
        }
        return summaries;
    }

    private static string EncodeToken((DateTime Created, string ReportId) last) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"v1|{last.Created.Ticks}|{last.ReportId}")));

    private static (DateTime Created, string ReportId)? DecodeToken(string? token)
    {
        if (string.IsNullOrEmpty(token)) return null;
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token)).Split('|', 3);
            if (parts.Length == 3 && parts[0] == "v1" && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
            {
                return (new DateTime(ticks, DateTimeKind.Utc), parts[2]);
            }
        }
        catch (FormatException)
        {
        }
        throw FieldViolations.Single("page_token", "not a page token of this service");
    }
}
