using System.Runtime.CompilerServices;
using CreditRisk.Contracts.Registry.V1;
using CreditRisk.Contracts.Rpc;
using CreditRisk.Registry.Artifacts;
using CreditRisk.Registry.Models;
using CreditRisk.Registry.Search;
using CreditRisk.Registry.Serving;
using CreditRisk.Registry.GrpcApi;
using CreditRisk.Registry.Tracking;
using CreditRisk.ServiceDefaults.ApiKeys;
using CreditRisk.ServiceDefaults.Http;
using CreditRisk.Registry.Validation;
using Google.Protobuf;
using Grpc.Core;

namespace CreditRisk.Registry.Rest;

/// <summary>
/// REST/JSON for scripts and browsers, over the same application services as gRPC:
/// POST /api/v1/registry/{Method} takes the request message as Protobuf JSON and returns the response
/// the same way (every unary method), plus plain routes for the common reads and for artifacts as raw bytes.
/// The API key goes in the "x-api-key" header, as in gRPC.
/// </summary>
public static class RegistryRestEndpoints
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(false));
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    private delegate Task<IMessage> Handler(IServiceProvider services, IMessage request, ApiKeyPrincipal caller, CancellationToken cancellationToken);

    private static readonly Dictionary<string, (MessageParser Parser, Handler Handle)> Methods = new(StringComparer.Ordinal)
    {
        ["CreateExperiment"] = Unary<CreateExperimentRequest>(async (s, r, _, ct) => await Tracking(s).CreateExperimentAsync(r, ct)),
        ["GetExperimentByName"] = Unary<GetExperimentByNameRequest>(async (s, r, _, ct) => await Tracking(s).GetExperimentByNameAsync(r, ct)),
        ["CreateRun"] = Unary<CreateRunRequest>(async (s, r, _, ct) => await Tracking(s).CreateRunAsync(r, ct)),
        ["GetRun"] = Unary<GetRunRequest>(async (s, r, _, ct) => await Tracking(s).GetRunAsync(r, ct)),
        ["UpdateRun"] = Unary<UpdateRunRequest>(async (s, r, _, ct) => await Tracking(s).UpdateRunAsync(r, ct)),
        ["DeleteRun"] = Unary<DeleteRunRequest>(async (s, r, _, ct) => await Tracking(s).DeleteRunAsync(r, ct)),
        ["RestoreRun"] = Unary<RestoreRunRequest>(async (s, r, _, ct) => await Tracking(s).RestoreRunAsync(r, ct)),
        ["LogBatch"] = Unary<LogBatchRequest>(async (s, r, _, ct) => { await Tracking(s).LogBatchAsync(r, ct); return new LogBatchResponse(); }),
        ["LogInputs"] = Unary<LogInputsRequest>(async (s, r, _, ct) => { await Tracking(s).LogInputsAsync(r, ct); return new LogInputsResponse(); }),
        ["GetMetricHistory"] = Unary<GetMetricHistoryRequest>(async (s, r, _, ct) => await Tracking(s).GetMetricHistoryAsync(r, ct)),
        ["SearchRuns"] = Unary<SearchRunsRequest>(async (s, r, _, ct) => await s.GetRequiredService<RunSearchService>().SearchAsync(r, ct)),
        ["ListArtifacts"] = Unary<ListArtifactsRequest>(async (s, r, _, ct) => await s.GetRequiredService<ArtifactService>().ListAsync(r, ct)),
        ["CreateRegisteredModel"] = Unary<CreateRegisteredModelRequest>(async (s, r, _, ct) => await Models(s).CreateRegisteredModelAsync(r, ct)),
        ["GetRegisteredModel"] = Unary<GetRegisteredModelRequest>(async (s, r, _, ct) => await Models(s).GetRegisteredModelAsync(r, ct)),
        ["CreateModelVersion"] = Unary<CreateModelVersionRequest>(async (s, r, _, ct) => await Models(s).CreateModelVersionAsync(r, ct)),
        ["GetModelVersion"] = Unary<GetModelVersionRequest>(async (s, r, _, ct) => await Models(s).GetModelVersionAsync(r, ct)),
        ["GetModelVersionByAlias"] = Unary<GetModelVersionByAliasRequest>(async (s, r, _, ct) => await Models(s).GetModelVersionByAliasAsync(r, ct)),
        ["SetAlias"] = Unary<SetAliasRequest>(async (s, r, caller, ct) => await Models(s).SetAliasAsync(r, caller.Name, ct)),
        ["ListAliasHistory"] = Unary<ListAliasHistoryRequest>(async (s, r, _, ct) => await Models(s).ListAliasHistoryAsync(r, ct)),
        ["SetServingExperiment"] = Unary<SetServingExperimentRequest>(async (s, r, caller, ct) => await ServingExperiments(s).SetAsync(r, caller.Name, ct)),
        ["GetServingExperiment"] = Unary<GetServingExperimentRequest>(async (s, r, _, ct) => await ServingExperiments(s).GetAsync(r, ct)),
        ["ListServingExperimentHistory"] = Unary<ListServingExperimentHistoryRequest>(async (s, r, _, ct) => await ServingExperiments(s).ListHistoryAsync(r, ct)),
    };

    public static IEndpointRouteBuilder MapRegistryRestEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1");

        api.MapPost("/registry/{method}", async (string method, HttpContext http) =>
        {
            if (!Methods.TryGetValue(method, out var entry))
            {
                return Results.NotFound(new { message = $"no method {method}; streaming methods have their own routes" });
            }
            return await RespondAsync(http, method, async caller =>
            {
                IMessage request;
                using (var reader = new StreamReader(http.Request.Body))
                {
                    var json = await reader.ReadToEndAsync(http.RequestAborted);
                    try
                    {
                        request = string.IsNullOrWhiteSpace(json) ? entry.Parser.ParseFrom([]) : Parser.Parse(json, entry.Parser.ParseFrom([]).Descriptor);
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
                return await entry.Handle(http.RequestServices, request, caller, http.RequestAborted);
            });
        });

        api.MapGet("/runs/{runId}", (string runId, HttpContext http) =>
            RespondAsync(http, "GetRun", async _ => await Tracking(http.RequestServices).GetRunAsync(new GetRunRequest { RunId = runId }, http.RequestAborted)));

        api.MapGet("/models/{name}/versions/{version:int}", (string name, int version, HttpContext http) =>
            RespondAsync(http, "GetModelVersion", async _ => await Models(http.RequestServices).GetModelVersionAsync(
                new GetModelVersionRequest { ModelName = name, Version = version }, http.RequestAborted)));

        api.MapGet("/models/{name}/aliases/{alias}", (string name, string alias, HttpContext http) =>
            RespondAsync(http, "GetModelVersionByAlias", async _ => await Models(http.RequestServices).GetModelVersionByAliasAsync(
                new GetModelVersionByAliasRequest { ModelName = name, Alias = alias }, http.RequestAborted)));

        api.MapGet("/models/{name}/serving-experiment", (string name, HttpContext http) =>
            RespondAsync(http, "GetServingExperiment", async _ => await ServingExperiments(http.RequestServices).GetAsync(
                new GetServingExperimentRequest { ModelName = name }, http.RequestAborted)));

        api.MapGet("/models/{name}/alias-history", (string name, string? alias, HttpContext http) =>
            RespondAsync(http, "ListAliasHistory", async _ => await Models(http.RequestServices).ListAliasHistoryAsync(
                new ListAliasHistoryRequest { ModelName = name, Alias = alias ?? "" }, http.RequestAborted)));

        // Artifacts as raw bytes: PUT streams the body into the store, GET streams it back with its digest.
        api.MapPut("/runs/{runId}/artifacts/{**path}", async (string runId, string path, HttpContext http) =>
            await RespondAsync(http, "UploadArtifact", async _ =>
                await http.RequestServices.GetRequiredService<ArtifactService>().UploadAsync(
                    BodyChunks(http, runId, path, http.Request.Headers["x-content-sha256"].ToString()), http.RequestAborted)));

        api.MapGet("/runs/{runId}/artifacts/{**path}", async (string runId, string path, HttpContext http) =>
        {
            try
            {
                Authorize(http, "DownloadArtifact");
                var artifacts = http.RequestServices.GetRequiredService<ArtifactService>();
                var info = await artifacts.GetInfoAsync(runId, path, http.RequestAborted);
                http.Response.ContentType = "application/octet-stream";
                http.Response.ContentLength = info.SizeBytes;
                http.Response.Headers.ETag = $"\"{info.Sha256}\"";
                http.Response.Headers["x-content-sha256"] = info.Sha256;
                await artifacts.DownloadAsync(new DownloadArtifactRequest { RunId = runId, Path = path },
                    chunk => http.Response.Body.WriteAsync(chunk.Data.Memory, http.RequestAborted).AsTask(), http.RequestAborted);
                return Results.Empty;
            }
            catch (RegistryException exception)
            {
                return RestErrors.ToResult(exception);
            }
            catch (RpcException refusal)
            {
                return RpcStatusResults.ToResult(refusal);
            }
        });
        return endpoints;
    }

    private static async Task<IResult> RespondAsync(HttpContext http, string method, Func<ApiKeyPrincipal, Task<IMessage>> handle)
    {
        try
        {
            var caller = Authorize(http, method);
            var response = await handle(caller);
            return Results.Text(Formatter.Format(response), "application/json");
        }
        catch (RegistryException exception)
        {
            return RestErrors.ToResult(exception);
        }
        catch (RpcException refusal)
        {
            return RpcStatusResults.ToResult(refusal);
        }
    }

    private static async IAsyncEnumerable<ArtifactChunk> BodyChunks(HttpContext http, string runId, string path, string sha256,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        yield return new ArtifactChunk { RunId = runId, Path = path, Sha256 = sha256 };
        var buffer = new byte[ArtifactService.ChunkSize];
        int read;
        while ((read = await http.Request.Body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            yield return new ArtifactChunk { Data = ByteString.CopyFrom(buffer, 0, read) };
        }
    }

    private static (MessageParser, Handler) Unary<TRequest>(Func<IServiceProvider, TRequest, ApiKeyPrincipal, CancellationToken, Task<IMessage>> handle)
        where TRequest : IMessage<TRequest>, new() =>
        (new MessageParser<TRequest>(() => new TRequest()), (services, request, caller, ct) => handle(services, (TRequest)request, caller, ct));

    private static TrackingService Tracking(IServiceProvider services) => services.GetRequiredService<TrackingService>();

    private static ModelRegistryService Models(IServiceProvider services) => services.GetRequiredService<ModelRegistryService>();

    private static ServingExperimentService ServingExperiments(IServiceProvider services) => services.GetRequiredService<ServingExperimentService>();

    /// <summary>A route needs the role its gRPC method declares.</summary>
    private static ApiKeyPrincipal Authorize(HttpContext http, string method) =>
        ApiKeyEndpointExtensions.Authorize(http, RequiresRoleAttribute.Of<RegistryGrpcService>(method), method);
}
