using CreditRisk.Contracts.Ingestion.V1;
using CreditRisk.Contracts.Rpc;
using CreditRisk.Ingestion.Ingestion;
using CreditRisk.ServiceDefaults.ApiKeys;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace CreditRisk.Ingestion.Grpc;

/// <summary>The gRPC face of <see cref="EventIngestor"/>.</summary>
public sealed class IngestionGrpcService(EventIngestor ingestor, IOptions<IngestionOptions> options) : IngestionService.IngestionServiceBase
{
    [RequiresRole(ApiRole.Writer)]
    public override async Task<SubmitResult> Submit(SubmitRequest request, ServerCallContext context)
    {
        RequireAdminForHistorical([request], context);
        var result = (await ingestor.IngestAsync([request], context.CancellationToken))[0];
        return result.Status switch
        {
            SubmitStatus.Rejected => throw Rejected(result.Violations),
            SubmitStatus.Unavailable => throw new RpcException(new Status(StatusCode.Unavailable, result.Error)),
            _ => result,
        };
    }

    [RequiresRole(ApiRole.Writer)]
    public override async Task<SubmitBatchResult> SubmitBatch(SubmitBatchRequest request, ServerCallContext context)
    {
        var maxBatchSize = options.Value.MaxBatchSize;
        if (request.Items.Count > maxBatchSize)
        {
            throw FieldViolations.Single("items", $"at most {maxBatchSize} items per batch (got {request.Items.Count})");
        }
        RequireAdminForHistorical(request.Items, context);
        var results = await ingestor.IngestAsync(request.Items, context.CancellationToken);
        var reply = new SubmitBatchResult();
        reply.Results.Add(results);
        foreach (var result in results)
        {
            switch (result.Status)
            {
                case SubmitStatus.Accepted: reply.Accepted++; break;
                case SubmitStatus.Duplicate: reply.Duplicates++; break;
                case SubmitStatus.Rejected: reply.Rejected++; break;
                case SubmitStatus.Unavailable: reply.Unavailable++; break;
            }
        }
        return reply;
    }

    /// <summary>Keeping a caller's recorded time rewrites what the platform knew when: only an admin may load history.</summary>
    private static void RequireAdminForHistorical(IEnumerable<SubmitRequest> requests, ServerCallContext context)
    {
        if (requests.Any(request => request.Historical) && !ApiKeyCaller.Of(context).Has(ApiRole.Admin))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "a historical load (historical = true) needs an API key with the admin role"));
        }
    }

    /// <summary>INVALID_ARGUMENT naming every bad field of a rejected event, as the result lists them.</summary>
    private static RpcException Rejected(IEnumerable<FieldViolation> violations)
    {
        var rejected = new FieldViolations();
        foreach (var violation in violations)
        {
            rejected.Add(violation.Field, violation.Description);
        }
        return rejected.ToRpcException();
    }
}
