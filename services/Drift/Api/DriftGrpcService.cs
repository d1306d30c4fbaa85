using CreditRisk.Contracts.Drift.V1;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.ServiceDefaults.ApiKeys;
using Grpc.Core;

namespace CreditRisk.Drift.Service.Api;

/// <summary>The reports over gRPC; reading needs an API key with any role.</summary>
public sealed class DriftGrpcService(DriftReportReader reports) : DriftService.DriftServiceBase
{
    [RequiresRole(ApiRole.Reader)]
    public override Task<DriftReportPublished> GetLatestReport(GetLatestReportRequest request, ServerCallContext context) =>
        reports.LatestAsync(request, context.CancellationToken);

    [RequiresRole(ApiRole.Reader)]
    public override Task<ListReportsResponse> ListReports(ListReportsRequest request, ServerCallContext context) =>
        reports.ListAsync(request, context.CancellationToken);

    [RequiresRole(ApiRole.Reader)]
    public override Task<DriftReportPublished> GetReport(GetReportRequest request, ServerCallContext context) =>
        reports.GetAsync(request.ReportId, context.CancellationToken);
}
