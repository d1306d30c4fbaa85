using CreditRisk.Contracts.Training.V1;
using CreditRisk.ServiceDefaults.ApiKeys;
using Grpc.Core;

namespace CreditRisk.Training.Api;

/// <summary>The gRPC face of the pipeline; each method declares the API-key role it needs (the REST routes too).</summary>
public sealed class TrainingGrpcService(TrainingApi api) : TrainingService.TrainingServiceBase
{
    [RequiresRole(ApiRole.Writer)]
    public override Task<PipelineRun> StartRun(StartRunRequest request, ServerCallContext context) =>
        api.StartRunAsync(request, context.CancellationToken);

    [RequiresRole(ApiRole.Reader)]
    public override Task<PipelineRun> GetRun(GetRunRequest request, ServerCallContext context) =>
        api.GetRunAsync(request, context.CancellationToken);

    [RequiresRole(ApiRole.Reader)]
    public override Task<ListRunsResponse> ListRuns(ListRunsRequest request, ServerCallContext context) =>
        api.ListRunsAsync(request, context.CancellationToken);

    [RequiresRole(ApiRole.Writer)]
    public override Task<PipelineRun> CancelRun(CancelRunRequest request, ServerCallContext context) =>
        api.CancelRunAsync(request, context.CancellationToken);
}
