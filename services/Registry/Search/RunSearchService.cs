using CreditRisk.Contracts.Registry.V1;
using CreditRisk.Contracts.Rpc;
using CreditRisk.Registry.Tracking;
using CreditRisk.Registry.Validation;
using Npgsql;

namespace CreditRisk.Registry.Search;

/// <summary>SearchRuns: filter, order and page over runs, then load the page's runs in one round trip.</summary>
public sealed class RunSearchService(NpgsqlDataSource dataSource)
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;

    public async Task<SearchRunsResponse> SearchAsync(SearchRunsRequest request, CancellationToken cancellationToken)
    {
        var errors = new FieldViolations();
        var experimentIds = new List<long>();
        for (var i = 0; i < request.ExperimentIds.Count; i++)
        {
            experimentIds.Add(TrackingService.ParseExperimentId($"experiment_ids[{i}]", request.ExperimentIds[i], errors));
        }
        if (request.PageSize is < 0 or > MaxPageSize)
        {
            errors.Add("page_size", $"must be between 1 and {MaxPageSize}");
        }
        errors.ThrowIfAny();

        var filter = SearchExpressionParser.ParseFilter(request.Filter);
        var order = request.OrderBy.Select(SearchExpressionParser.ParseOrderBy).ToList();
        var pageSize = request.PageSize == 0 ? DefaultPageSize : request.PageSize;
        var fingerprint = PageToken.Fingerprint(request.ExperimentIds, request.Filter, request.OrderBy, (int)request.RunViewType);
        var token = PageToken.Decode(request.PageToken, fingerprint);
        var query = new SearchQueryBuilder(experimentIds, request.RunViewType, filter, order);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var page = new List<Run>(pageSize);
        PageToken? next = null;

        var (rows, more) = await ReadPhaseAsync(connection, query, token.Phase, token.Offset, pageSize, cancellationToken);
        page.AddRange(rows);
        if (more)
        {
            next = token with { Offset = token.Offset + pageSize };
        }
        else if (query.HasTwoPhases && token.Phase == 0)
        {
            // The runs that have the leading key are done: fill up with those that lack it.
            var remaining = pageSize - page.Count;
            var (tail, tailMore) = await ReadPhaseAsync(connection, query, 1, 0, remaining, cancellationToken);
            page.AddRange(tail);
            if (tailMore)
            {
                next = new PageToken(1, remaining);
            }
        }

        var byId = page.ToDictionary(run => Guid.Parse(run.RunId));
        await RunReader.FillDetailsAsync(connection, byId, cancellationToken);
        var response = new SearchRunsResponse { NextPageToken = next?.Encode(fingerprint) ?? "" };
        response.Runs.AddRange(page);
        return response;
    }

    /// <summary>Reads up to <paramref name="limit"/> rows of a phase; "more" says whether another exists after them.</summary>
    private static async Task<(List<Run> Rows, bool More)> ReadPhaseAsync(NpgsqlConnection connection, SearchQueryBuilder query,
        int phase, long offset, int limit, CancellationToken cancellationToken)
    {
        await using var command = query.Build(connection, phase, offset, limit + 1);
        var rows = new List<Run>(limit + 1);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(RunReader.ReadRunRow(reader));
        }
        var more = rows.Count > limit;
        if (more)
        {
            rows.RemoveAt(rows.Count - 1);
        }
        return (rows, more);
    }
}
