using CreditRisk.Contracts.Ingestion.V1;
using Grpc.Net.Client;

namespace CreditRisk.Ingestion.Import;

/// <summary>Submits through a running ingestion service's SubmitBatch (validation and dedup happen there).</summary>
public sealed class GrpcImportTarget(GrpcChannel channel, bool ownsChannel = true) : IImportTarget
{
    private readonly IngestionService.IngestionServiceClient _client = new(channel);

    public string Description => $"gRPC {channel.Target}";

    public async Task<IReadOnlyList<SubmitResult>> SubmitAsync(IReadOnlyList<SubmitRequest> batch, CancellationToken cancellationToken)
    {
        var request = new SubmitBatchRequest();
        request.Items.Add(batch);
        var reply = await _client.SubmitBatchAsync(request, cancellationToken: cancellationToken);
        return reply.Results;
    }

    public ValueTask DisposeAsync()
    {
        if (ownsChannel)
        {
            channel.Dispose();
        }
        return ValueTask.CompletedTask;
    }
}
