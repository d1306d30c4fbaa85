using CreditRisk.Contracts.Rpc;
using CreditRisk.Contracts.Training.V1;
using CreditRisk.ServiceDefaults.ApiKeys;
using CreditRisk.ServiceDefaults.Http;
using Google.Protobuf;
using Grpc.Core;

namespace CreditRisk.Training.Api;

/// <summary>
/// REST/JSON under /api/training over the same <see cref="TrainingApi"/> as gRPC, messages as Protobuf JSON, the API
/// key in the "x-api-key" header; a step's blobs are served as raw bytes with the content type of their extension.
/// </summary>
public static class TrainingRestEndpoints
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(false));

    public static IEndpointRouteBuilder MapTrainingRestEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/training");

        api.MapGet("/runs", (string? model_name, string? status, int? page_size, string? page_token, HttpContext http) =>
            ProtobufJsonResults.RespondAsync(async () =>
            {
                var request = new ListRunsRequest { ModelName = model_name ?? "", PageSize = page_size ?? 0, PageToken = page_token ?? "" };
                if (!string.IsNullOrEmpty(status))
                {
                    request.Status = ParseStatus(status);
                }
                return await Api(http).ListRunsAsync(request, http.RequestAborted);
            })).RequireApiRole(ApiRole.Reader, "ListRuns");

        api.MapGet("/runs/{runId}", (string runId, HttpContext http) =>
            ProtobufJsonResults.RespondAsync(async () => await Api(http).GetRunAsync(new GetRunRequest { RunId = runId }, http.RequestAborted)))
            .RequireApiRole(ApiRole.Reader, "GetRun");

        api.MapPost("/runs", (HttpContext http, CancellationToken cancellationToken) =>
            ProtobufJsonResults.RespondAsync(async () => await Api(http).StartRunAsync(await ReadAsync<StartRunRequest>(http), cancellationToken)))
            .RequireApiRole(ApiRole.Writer, "StartRun");

        api.MapPost("/runs/{runId}/cancel", (string runId, HttpContext http) =>
            ProtobufJsonResults.RespondAsync(async () => await Api(http).CancelRunAsync(new CancelRunRequest { RunId = runId }, http.RequestAborted)))
            .RequireApiRole(ApiRole.Writer, "CancelRun");

        api.MapGet("/runs/{runId}/blobs/{step}/{name}", async (string runId, string step, string name, HttpContext http) =>
        {
            try
            {
                var (content, sha256, contentType) = await Api(http).GetBlobAsync(runId, step, name, http.RequestAborted);
                http.Response.Headers.ETag = $"\"{sha256}\"";
                http.Response.Headers["x-content-sha256"] = sha256;
                return Results.Bytes(content, contentType);
            }
            catch (RpcException refusal)
            {
                return RpcStatusResults.ToResult(refusal);
            }
        }).RequireApiRole(ApiRole.Reader, "GetRunBlob");
        return endpoints;
    }

    private static TrainingApi Api(HttpContext http) => http.RequestServices.GetRequiredService<TrainingApi>();

    private static async Task<TRequest> ReadAsync<TRequest>(HttpContext http) where TRequest : IMessage<TRequest>, new()
    {
        using var body = new StreamReader(http.Request.Body);
        var json = await body.ReadToEndAsync(http.RequestAborted);
        try
        {
            return string.IsNullOrWhiteSpace(json) ? new TRequest() : Parser.Parse<TRequest>(json);
        }
        catch (InvalidProtocolBufferException exception)
        {
            throw FieldViolations.Single("body", exception.Message);
        }
        catch (InvalidJsonException exception)
        {
            throw FieldViolations.Single("body", exception.Message);
        }
    }

    /// <summary>"failed", "FAILED" or "PIPELINE_RUN_STATUS_FAILED".</summary>
    private static PipelineRunStatus ParseStatus(string status)
    {
        var name = status.Trim().ToUpperInvariant();
        foreach (var value in Enum.GetValues<PipelineRunStatus>())
        {
            if (value != PipelineRunStatus.Unspecified && RunMessages.StatusName(value) is { } known
                && (name == known.ToUpperInvariant() || name == "PIPELINE_RUN_STATUS_" + known.ToUpperInvariant()))
            {
                return value;
            }
        }
        throw FieldViolations.Single("status", $"unknown status '{status}': queued, running, succeeded, failed or cancelled");
    }
}
