using CreditRisk.Contracts.Rpc;
using CreditRisk.Contracts.Training.V1;
using CreditRisk.Training.Pipeline;
using Grpc.Core;

namespace CreditRisk.Training.Api;

/// <summary>What the gRPC service and the REST routes both do: requests checked field by field, runs read and changed.</summary>
public sealed class TrainingApi(PipelineRunStarter starter, PipelineRunStore runs, PipelineRunReader reader, BlobStore blobs)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    public async Task<PipelineRun> StartRunAsync(StartRunRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var runRequest = new RunRequest(
            request.ModelName,
            string.IsNullOrEmpty(request.RequestId) ? $"api:{Guid.NewGuid():N}" : request.RequestId,
            RunTriggers.Api,
            string.IsNullOrEmpty(request.FeatureService) ? null : request.FeatureService,
            request.FeatureServiceVersion == 0 ? null : request.FeatureServiceVersion,
            request.Cutoff?.ToDateTimeOffset(),
            request.Parameters,
            CacheEnabled: !request.DisableCache);
        var (run, _) = await starter.StartAsync(runRequest, cancellationToken);
        return await GetRunAsync(run.RunId, cancellationToken);
    }

    public Task<PipelineRun> GetRunAsync(GetRunRequest request, CancellationToken cancellationToken) =>
        GetRunAsync(ParseRunId(request.RunId), cancellationToken);

    public async Task<ListRunsResponse> ListRunsAsync(ListRunsRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.PageSize is < 0 or > MaxPageSize)
        {
            throw FieldViolations.Single("page_size", $"must be between 1 and {MaxPageSize} (0: {DefaultPageSize}), got {request.PageSize}");
        }
        if (!Enum.IsDefined(request.Status))
        {
            throw FieldViolations.Single("status", $"unknown status {(int)request.Status}");
        }
        var pageSize = request.PageSize == 0 ? DefaultPageSize : request.PageSize;
        var after = RunPageToken.Decode(request.PageToken);
        var page = await reader.ListAsync(string.IsNullOrEmpty(request.ModelName) ? null : request.ModelName,
            RunMessages.StatusName(request.Status), pageSize + 1, after, cancellationToken);
        var response = new ListRunsResponse();
        response.Runs.Add(page.Take(pageSize).Select(RunMessages.ToMessage));
        if (page.Count > pageSize)
        {
            var last = page[pageSize - 1];
            response.NextPageToken = RunPageToken.Encode(last.CreatedAt, last.RunId);
        }
        return response;
    }

    public async Task<PipelineRun> CancelRunAsync(CancelRunRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var runId = ParseRunId(request.RunId);
        var change = await runs.RequestCancelAsync(runId, cancellationToken) ?? throw RunNotFound(runId);
        var run = await GetRunAsync(runId, cancellationToken);
        if (change.Before == RunStatuses.Queued)
        {
            PipelineTelemetry.RunFinished(RunStatuses.Cancelled, run.ModelName);
        }
        return run;
    }

    /// <summary>A blob a step of the run output, under its name there.</summary>
    public async Task<(byte[] Content, string Sha256, string ContentType)> GetBlobAsync(string runId, string step, string name, CancellationToken cancellationToken)
    {
        var id = ParseRunId(runId);
        var details = await reader.GetAsync(id, cancellationToken) ?? throw RunNotFound(id);
        var stepRecord = details.Steps.FirstOrDefault(candidate => candidate.Name == step)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"run {id} has no step '{step}'"));
        if (stepRecord.Output?.Blobs.TryGetValue(name, out var digest) != true)
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"step '{step}' of run {id} has no output blob '{name}'"));
        }
        var content = await blobs.TryGetAsync(digest!, cancellationToken)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"blob {digest} is not stored"));
        return (content, digest!, RunMessages.ContentTypeOf(name));
    }

    private async Task<PipelineRun> GetRunAsync(Guid runId, CancellationToken cancellationToken) =>
        RunMessages.ToMessage(await reader.GetAsync(runId, cancellationToken) ?? throw RunNotFound(runId));

    private static Guid ParseRunId(string runId)
    {
        new FieldViolations().Required("run_id", runId).ThrowIfAny();
        return Guid.TryParse(runId, out var id) ? id : throw FieldViolations.Single("run_id", $"'{runId}' is not a run id (a UUID)");
    }

    private static RpcException RunNotFound(Guid runId) => new(new Status(StatusCode.NotFound, $"no pipeline run {runId}"));
}
