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
/// Scores one validated request: the served state read once, the customer's arm, the request id reserved and the arm's
/// vector read (application features + online features) in one round trip to Redis, the model (run while the reservation
/// is answered), the prediction added to the log buffer, the answer stored for the id (a retry gets the first answer and
/// is not logged again) and the shadow arm offered the request. Failures are gRPC statuses:
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
            // Sent before the feature read, so the reservation and the read share one round trip to Redis.
            var reserving = idempotency.ReserveAsync(request.RequestId);
            AssembledFeatures features;
            ScoreResponse response;
            try
            {
                // The store's read does not stop on cancellation: a call past its deadline stops waiting for it here.
                features = await assembler.AssembleAsync(chosen.Model, request.CustomerId, request.ApplicationId, request.Application, degrade, cancellationToken)
                    .WaitAsync(cancellationToken);
                // Scored while the reservation's reply is on its way; a retry that finds the id taken discards this score.
                response = scorer.Score(request, chosen, features);
            }
            catch (Exception notScored)
            {
                await GiveUpAsync(reserving);
                if (notScored is OnlineStoreUnavailableException down)
                {
                    outcome = "online_store_unavailable";
                    throw new RpcException(new Status(StatusCode.Unavailable, down.Message));
                }
                throw;
            }
            var reservation = await HeldAsync(reserving, request.RequestId, degrade);
            if (cancellationToken.IsCancellationRequested)
            {
                // Past its deadline the caller has its answer (DEADLINE_EXCEEDED): nothing may be scored or logged.
                await ReleaseAsync(reservation);
                cancellationToken.ThrowIfCancellationRequested();
            }
            if (reservation is { Held: false })
            {
                var earlier = await AwaitAnswerAsync(reservation, cancellationToken);
                if (earlier is not null)
                {
                    metrics.IdempotentReplay();
                    outcome = "replayed";
                    return earlier;
                }
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
                await ReleaseAsync(reservation);
                throw;
            }
            if (reservation is not null)
            {
                idempotency.Complete(response);
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

    /// <summary>The awaited reservation; null when Redis could not be reached and the policy degrades.</summary>
    private async Task<Reservation?> HeldAsync(Task<Reservation> reserving, string requestId, bool degrade)
    {
        try
        {
            return await reserving;
        }
        catch (Exception down) when (down is RedisException or TimeoutException)
        {
            if (!degrade)
            {
                throw new RpcException(new Status(StatusCode.Unavailable, $"the request id cannot be recorded: Redis is unavailable ({down.Message})"));
            }
            // Degraded: the answer is given, but a retry of this request id cannot be recognised while Redis is down.
            logger.LogWarning("Request {RequestId} scored without its idempotency record: Redis is unavailable", requestId);
            return null;
        }
    }

    /// <summary>The earlier answer to a reserved request id, or null once this call holds the id.</summary>
    private async Task<ScoreResponse?> AwaitAnswerAsync(Reservation reservation, CancellationToken cancellationToken)
    {
        try
        {
            return await idempotency.AwaitAnswerAsync(reservation, cancellationToken);
        }
        catch (Exception down) when (down is RedisException or TimeoutException)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, $"the earlier answer to this request id cannot be read: Redis is unavailable ({down.Message})"));
        }
    }

    /// <summary>Gives up the reservation a failed request made, whether or not it has arrived yet.</summary>
    private async Task GiveUpAsync(Task<Reservation> reserving)
    {
        Reservation reservation;
        try
        {
            reservation = await reserving;
        }
        catch (Exception down) when (down is RedisException or TimeoutException)
        {
            return;
        }
        await ReleaseAsync(reservation);
    }

    /// <summary>Releases a held reservation, so a retry scores afresh; a null or not-held one needs nothing.</summary>
    private async Task ReleaseAsync(Reservation? reservation)
    {
        if (reservation is not { Held: true })
        {
            return;
        }
        try
        {
            await idempotency.ReleaseAsync(reservation);
        }
        catch (Exception down) when (down is RedisException or TimeoutException)
        {
            // It expires after Scoring:IdempotencyReservationTimeout; until then a retry waits for it.
            logger.LogWarning("Could not release request id {RequestId}: Redis is unavailable ({Reason})", reservation.RequestId, down.Message);
        }
    }
}
