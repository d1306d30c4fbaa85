using CreditRisk.Contracts.Registry.V1;
using CreditRisk.Registry.Artifacts;
using CreditRisk.Registry.Models;
using CreditRisk.Registry.Search;
using CreditRisk.Registry.Serving;
using CreditRisk.Registry.Tracking;
using CreditRisk.ServiceDefaults.ApiKeys;
using Grpc.Core;

namespace CreditRisk.Registry.GrpcApi;

/// <summary>
/// The gRPC face of the registry; the work happens in the application services. Each method declares the API-key role
/// it needs, for gRPC and for the REST routes over the same methods.
/// </summary>
public sealed class RegistryGrpcService(
    TrackingService tracking,
    RunSearchService search,
    ArtifactService artifacts,
    ModelRegistryService models,
    ServingExperimentService servingExperiments) : RegistryService.RegistryServiceBase
{
    [RequiresRole(ApiRole.Writer)]
    public override Task<Experiment> CreateExperiment(CreateExperimentRequest request, ServerCallContext context) =>
        tracking.CreateExperimentAsync(request, context.CancellationToken);

    [RequiresRole(ApiRole.Reader)]
    public override Task<Experiment> GetExperimentByName(GetExperimentByNameRequest request, ServerCallContext context) =>
        tracking.GetExperimentByNameAsync(request, context.CancellationToken);

    [RequiresRole(ApiRole.Writer)]
    public override Task<Run> CreateRun(CreateRunRequest request, ServerCallContext context) =>
        tracking.CreateRunAsync(request, context.CancellationToken);

    [RequiresRole(ApiRole.Reader)]
    public override Task<Run> GetRun(GetRunRequest request, ServerCallContext context) =>
        tracking.GetRunAsync(request, context.CancellationToken);

    [RequiresRole(ApiRole.Writer)]
    public override Task<Run> UpdateRun(UpdateRunRequest request, ServerCallContext context) =>
        tracking.UpdateRunAsync(request, context.CancellationToken);

    [RequiresRole(ApiRole.Writer)]
    public override Task<Run> DeleteRun(DeleteRunRequest request, ServerCallContext context) =>
        tracking.DeleteRunAsync(request, context.CancellationToken);

    [RequiresRole(ApiRole.Writer)]
    public override Task<Run> RestoreRun(RestoreRunRequest request, ServerCallContext context) =>
        tracking.RestoreRunAsync(request, context.CancellationToken);

    [RequiresRole(ApiRole.Writer)]
    public override async Task<LogBatchResponse> LogBatch(LogBatchRequest request, ServerCallContext context)
    {
        await tracking.LogBatchAsync(request, context.CancellationToken);
        return new LogBatchResponse();
    }

    [RequiresRole(ApiRole.Writer)]
    public override async Task<LogInputsResponse> LogInputs(LogInputsRequest request, ServerCallContext context)
    {
        await tracking.LogInputsAsync(request, context.CancellationToken);
        return new LogInputsResponse();
    }

    [RequiresRole(ApiRole.Reader)]
    public override Task<GetMetricHistoryResponse> GetMetricHistory(GetMetricHistoryRequest request, ServerCallContext context) =>
        tracking.GetMetricHistoryAsync(request, context.CancellationToken);

    [RequiresRole(ApiRole.Reader)]
    public override Task<SearchRunsResponse> SearchRuns(SearchRunsRequest request, ServerCallContext context) =>
        search.SearchAsync(request, context.CancellationToken);

    [RequiresRole(ApiRole.Writer)]
    public override Task<ArtifactInfo> UploadArtifact(IAsyncStreamReader<ArtifactChunk> requestStream, ServerCallContext context) =>
        artifacts.UploadAsync(requestStream.ReadAllAsync(context.CancellationToken), context.CancellationToken);

    [RequiresRole(ApiRole.Reader)]
    public override Task DownloadArtifact(DownloadArtifactRequest request, IServerStreamWriter<ArtifactChunk> responseStream, ServerCallContext context) =>
        artifacts.DownloadAsync(request, chunk => responseStream.WriteAsync(chunk, context.CancellationToken), context.CancellationToken);

    [RequiresRole(ApiRole.Reader)]
    public override Task<ListArtifactsResponse> ListArtifacts(ListArtifactsRequest request, ServerCallContext context) =>
        artifacts.ListAsync(request, context.CancellationToken);

    [RequiresRole(ApiRole.Writer)]
    public override Task<RegisteredModel> CreateRegisteredModel(CreateRegisteredModelRequest request, ServerCallContext context) =>
        models.CreateRegisteredModelAsync(request, context.CancellationToken);

    [RequiresRole(ApiRole.Reader)]
    public override Task<RegisteredModel> GetRegisteredModel(GetRegisteredModelRequest request, ServerCallContext context) =>
        models.GetRegisteredModelAsync(request, context.CancellationToken);

    [RequiresRole(ApiRole.Writer)]
    public override Task<ModelVersion> CreateModelVersion(CreateModelVersionRequest request, ServerCallContext context) =>
        models.CreateModelVersionAsync(request, context.CancellationToken);

    [RequiresRole(ApiRole.Reader)]
    public override Task<ModelVersion> GetModelVersion(GetModelVersionRequest request, ServerCallContext context) =>
        models.GetModelVersionAsync(request, context.CancellationToken);

    [RequiresRole(ApiRole.Reader)]
    public override Task<ModelVersion> GetModelVersionByAlias(GetModelVersionByAliasRequest request, ServerCallContext context) =>
        models.GetModelVersionByAliasAsync(request, context.CancellationToken);

    [RequiresRole(ApiRole.Promoter)]
    public override Task<AliasMove> SetAlias(SetAliasRequest request, ServerCallContext context) =>
        models.SetAliasAsync(request, ApiKeyCaller.Of(context).Name, context.CancellationToken);

    [RequiresRole(ApiRole.Reader)]
    public override Task<ListAliasHistoryResponse> ListAliasHistory(ListAliasHistoryRequest request, ServerCallContext context) =>
        models.ListAliasHistoryAsync(request, context.CancellationToken);

    [RequiresRole(ApiRole.Promoter)]
    public override Task<ServingExperiment> SetServingExperiment(SetServingExperimentRequest request, ServerCallContext context) =>
        servingExperiments.SetAsync(request, ApiKeyCaller.Of(context).Name, context.CancellationToken);

    [RequiresRole(ApiRole.Reader)]
    public override Task<ServingExperiment> GetServingExperiment(GetServingExperimentRequest request, ServerCallContext context) =>
        servingExperiments.GetAsync(request, context.CancellationToken);

    [RequiresRole(ApiRole.Reader)]
    public override Task<ListServingExperimentHistoryResponse> ListServingExperimentHistory(ListServingExperimentHistoryRequest request,
        ServerCallContext context) =>
        servingExperiments.ListHistoryAsync(request, context.CancellationToken);
}
