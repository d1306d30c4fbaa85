using System.Diagnostics;
using CreditRisk.Contracts.Scoring.V1;
using CreditRisk.Scoring.Features;
using CreditRisk.Scoring.Idempotency;
using CreditRisk.Scoring.Models;
using CreditRisk.Scoring.Options;
using CreditRisk.Scoring.PredictionLog;
using CreditRisk.Scoring.Routing;
using CreditRisk.Scoring.Shadow;
using CreditRisk.Scoring.Telemetry;
using Grpc.Core;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CreditRisk.Scoring.Pipeline;

/// <summary>
/// Scores one validated request: the served state read once, the customer's arm, the arm's vector (application features
/// + online features), the model, then the request id claimed (a retry gets the first answer and is not logged again),
/// the prediction added to the log buffer and the shadow arm offered the request. Failures are gRPC statuses:
/// UNAVAILABLE (no model yet, online store down under FailClosed, log full), NOT_FOUND (a model not served here).
/// </summary>
public sealed class ScoringPipeline(
    ServedModels served,
    FeatureAssembler assembler,
    Scorer scorer,
    RequestIdempotencyStore idempotency,
    PredictionLogBuffer log,
    ShadowScorer shadow,
    ScoringMetrics metrics,
    IOptions<ScoringOptions> options,
    ILogger<ScoringPipeline> logger)
{
    private readonly ScoringOptions _options = options.Value;

    public async Task<ScoreResponse> ScoreAsync(ScoreRequest request, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var modelName = string.IsNullOrEmpty(request.ModelName) ? _options.ModelName : request.ModelName;
        using var activity = ScoringTelemetry.Source.StartActivity("score");
        activity?.SetTag("creditrisk.request_id", request.RequestId);
        activity?.SetTag("creditrisk.model.name", modelName);
        var arm = "none";
        var outcome = "error";
        try
        {
            var state = served.StateOf(modelName) ?? throw NotServed(modelName);
            var chosen = ArmRouter.Choose(state, request.CustomerId);
            arm = chosen.Name;
            activity?.SetTag("creditrisk.arm", arm);
            var degrade = _options.OnlineStoreUnavailable == OnlineStoreUnavailablePolicy.Degrade;
            AssembledFeatures features;
            try
            {
                features = await assembler.AssembleAsync(chosen.Model, request.CustomerId, request.ApplicationId, request.Application, degrade, cancellationToken);
            }
            catch (OnlineStoreUnavailableException down)
            {
                outcome = "online_store_unavailable";
                throw new RpcException(new Status(StatusCode.Unavailable, down.Message));
            }
            var response = scorer.Score(request, chosen, features);

            var earlier = await ClaimAsync(response, degrade);
            if (earlier is not null)
            {
                metrics.IdempotentReplay();
                outcome = "replayed";
                return earlier;
            }
            var traceId = Activity.Current?.TraceId.ToHexString() ?? "";
            try
            {
                await log.AddAsync(PredictionEvents.Logged(request, response, served: true, state.Revision,
                    Stopwatch.GetElapsedTime(started).TotalMilliseconds, traceId), cancellationToken);
            }
            catch (Exception notLogged)
            {
                // Unlogged, the answer must not be replayed: a retry scores and logs afresh.
                if (notLogged is RpcException)
                {
                    outcome = "log_full";
                }
                await ReleaseAsync(response);
                throw;
            }
            if (state.Shadow is { } shadowArm)
            {
                shadow.Offer(new ShadowWork(request, shadowArm, chosen, features, state.Revision, traceId));
            }
            outcome = response.Degraded ? "degraded" : "scored";
            return response;
        }
        catch (RpcException failed) when (outcome == "error")
        {
            outcome = failed.StatusCode.ToString().ToLowerInvariant();
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            outcome = "cancelled";
            throw;
        }
        finally
        {
            metrics.Request(outcome, modelName, arm, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    private RpcException NotServed(string modelName) =>
        _options.ServedModels().Contains(modelName)
            ? new RpcException(new Status(StatusCode.Unavailable, $"no version of model '{modelName}' is loaded yet; retry shortly"))
            : new RpcException(new Status(StatusCode.NotFound,
                $"model_name: '{modelName}' is not served here (served: {string.Join(", ", _options.ServedModels())})"));

    /// <summary>The stored answer for the request id, or null when ours is now stored (or, degraded, could not be).</summary>
    private async Task<ScoreResponse?> ClaimAsync(ScoreResponse response, bool degrade)
    {
        try
        {
            return await idempotency.ClaimAsync(response);
        }
        catch (Exception down) when (down is RedisException or TimeoutException)
        {
            if (!degrade)
            {
                throw new RpcException(new Status(StatusCode.Unavailable, $"the request id cannot be recorded: Redis is unavailable ({down.Message})"));
            }
            // Degraded: the answer is given, but a retry of this request id cannot be recognised while Redis is down.
            logger.LogWarning("Request {RequestId} scored without its idempotency record: Redis is unavailable", response.RequestId);
            return null;
        }
    }

    private async Task ReleaseAsync(ScoreResponse response)
    {
        try
        {
            await idempotency.ReleaseAsync(response);
        }
        catch (Exception down) when (down is RedisException or TimeoutException)
        {
            // The window expires it; until then a retry gets this answer although it was not logged.
            logger.LogWarning("Could not release request id {RequestId} after its prediction was not logged", response.RequestId);
        }
    }
}
