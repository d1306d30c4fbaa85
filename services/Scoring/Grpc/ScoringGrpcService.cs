using CreditRisk.Contracts.Rpc;
using CreditRisk.Contracts.Scoring.V1;
using CreditRisk.Scoring.Options;
using CreditRisk.Scoring.Pipeline;
using CreditRisk.ServiceDefaults.ApiKeys;
using Grpc.Core;
using Microsoft.Extensions.Options;
using ProtoFieldViolation = CreditRisk.Contracts.Scoring.V1.FieldViolation;

namespace CreditRisk.Scoring.Grpc;

/// <summary>
/// creditrisk.scoring.v1.ScoringService. Scoring needs the writer role: a score is a decision the platform records (the
/// prediction log, the request id), not a read. The call's deadline cancels the work.
/// </summary>
public sealed class ScoringGrpcService(ScoringPipeline pipeline, IOptions<ScoringOptions> options, ScoringReplica replica) : ScoringService.ScoringServiceBase
{
    [RequiresRole(ApiRole.Writer)]
    public override async Task<ScoreResponse> Score(ScoreRequest request, ServerCallContext context)
    {
        ScoreRequestValidator.Validate(request).ThrowIfAny();
        var response = await pipeline.ScoreAsync(request, context.CancellationToken);
        context.ResponseTrailers.Add(ReplicaMetadata.TrailerName, replica.Id);
        return response;
    }

    [RequiresRole(ApiRole.Writer)]
    public override async Task<ScoreBatchResponse> ScoreBatch(ScoreBatchRequest request, ServerCallContext context)
    {
        var max = options.Value.MaxBatchSize;
        if (request.Requests.Count == 0)
        {
            throw FieldViolations.Single("requests", "at least one request is required");
        }
        if (request.Requests.Count > max)
        {
            throw FieldViolations.Single("requests", $"at most {max} requests per batch (got {request.Requests.Count})");
        }
        var items = await Task.WhenAll(request.Requests.Select(item => ScoreItemAsync(item, context.CancellationToken)));
        var response = new ScoreBatchResponse { Items = { items } };
        response.Scored = items.Count(item => item.ResultCase == ScoreBatchItem.ResultOneofCase.Response);
        response.Failed = items.Length - response.Scored;
        context.ResponseTrailers.Add(ReplicaMetadata.TrailerName, replica.Id);
        return response;
    }

    private async Task<ScoreBatchItem> ScoreItemAsync(ScoreRequest request, CancellationToken cancellationToken)
    {
        var violations = ScoreRequestValidator.Validate(request);
        if (!violations.IsEmpty)
        {
            var invalid = new ItemError { Code = (int)StatusCode.InvalidArgument, Message = violations.ToString() };
            invalid.FieldViolations.Add(violations.Items.Select(violation => new ProtoFieldViolation { Field = violation.Field, Description = violation.Description }));
            return new ScoreBatchItem { Error = invalid };
        }
        try
        {
            return new ScoreBatchItem { Response = await pipeline.ScoreAsync(request, cancellationToken) };
        }
        catch (RpcException failed) when (!cancellationToken.IsCancellationRequested)
        {
            return new ScoreBatchItem { Error = new ItemError { Code = (int)failed.StatusCode, Message = failed.Status.Detail } };
        }
    }
}
