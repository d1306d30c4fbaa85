using CreditRisk.Contracts.Drift.V1;
using CreditRisk.Drift.Service.Reports;
using CreditRisk.ServiceDefaults.ApiKeys;
using CreditRisk.ServiceDefaults.Http;
using Google.Protobuf;
using Grpc.Core;

namespace CreditRisk.Drift.Service.Api;

/// <summary>
/// REST/JSON under /api/drift over the same reader as gRPC (messages as Protobuf JSON), and the HTML pages under
/// /drift: an index of models, an index per model over time and each report. The API key goes in "x-api-key".
/// </summary>
public static class DriftRestEndpoints
{
    private const int IndexLimit = 500;


    public static IEndpointRouteBuilder MapDriftEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/drift");
        api.MapGet("/reports", (string? model_name, int? page_size, string? page_token, HttpContext http) => ProtobufJsonResults.RespondAsync(async () =>
            await Reader(http).ListAsync(new ListReportsRequest { ModelName = model_name ?? "", PageSize = page_size ?? 0, PageToken = page_token ?? "" }, http.RequestAborted)))
            .RequireApiRole(ApiRole.Reader, "ListReports");
        api.MapGet("/reports/latest", (string? model_name, bool? shadow, HttpContext http) => ProtobufJsonResults.RespondAsync(async () =>
            await Reader(http).LatestAsync(new GetLatestReportRequest { ModelName = model_name ?? "", Shadow = shadow ?? false }, http.RequestAborted)))
            .RequireApiRole(ApiRole.Reader, "GetLatestReport");
        api.MapGet("/reports/{reportId}", (string reportId, HttpContext http) => ProtobufJsonResults.RespondAsync(async () =>
            await Reader(http).GetAsync(reportId, http.RequestAborted)))
            .RequireApiRole(ApiRole.Reader, "GetReport");

        var pages = endpoints.MapGroup("/drift");
        // Two parameters, so the lambda is not taken for a RequestDelegate whose result would be dropped.
        pages.MapGet("/", async (HttpContext http, CancellationToken cancellationToken) =>
            Results.Content(ReportIndexHtml.RenderModels(await Reader(http).SummariesAsync(null, IndexLimit, cancellationToken)), "text/html; charset=utf-8"))
            .RequireApiRole(ApiRole.Reader, "ReportIndex");
        pages.MapGet("/models/{modelName}", async (string modelName, HttpContext http) =>
            Results.Content(ReportIndexHtml.RenderModel(modelName, (await Reader(http).SummariesAsync(modelName, IndexLimit, http.RequestAborted)).Select(s => s.Summary).ToList()),
                "text/html; charset=utf-8"))
            .RequireApiRole(ApiRole.Reader, "ModelReportIndex");
        pages.MapGet("/reports/{reportId}", async (string reportId, HttpContext http) =>
            await Reader(http).HtmlAsync(reportId, http.RequestAborted) is { } html
                ? Results.Content(html, "text/html; charset=utf-8")
                : Results.NotFound())
            .RequireApiRole(ApiRole.Reader, "ReportPage");
        return endpoints;
    }

    private static DriftReportReader Reader(HttpContext http) => http.RequestServices.GetRequiredService<DriftReportReader>();
}
