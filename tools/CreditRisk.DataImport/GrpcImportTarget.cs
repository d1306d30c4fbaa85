using CreditRisk.Contracts.Ingestion.V1;
using CreditRisk.Contracts.Rpc;
using Grpc.Net.Client;

namespace CreditRisk.DataImport;

/// <summary>Submits through a running ingestion service's SubmitBatch (validation and dedup happen there).</summary>
public sealed class GrpcImportTarget : IAsyncDisposable
{
    private readonly GrpcChannel _channel;
    private readonly bool _ownsChannel;
    private readonly IngestionService.IngestionServiceClient _client;

    /// <param name="apiKey">Sent with every call when given.</param>
    public GrpcImportTarget(GrpcChannel channel, string? apiKey = null, bool ownsChannel = true)
    {
        _channel = channel;
        _ownsChannel = ownsChannel;
        _client = new IngestionService.IngestionServiceClient(channel.WithApiKey(apiKey));
    }

    public string Description => $"gRPC {_channel.Target}";

    public async Task<IReadOnlyList<SubmitResult>> SubmitAsync(IReadOnlyList<SubmitRequest> batch, CancellationToken cancellationToken)
    {
        var request = new SubmitBatchRequest();
        request.Items.Add(batch);
        var reply = await _client.SubmitBatchAsync(request, cancellationToken: cancellationToken);
        return reply.Results;
    }

    public ValueTask DisposeAsync()
    {
        if (_ownsChannel)
        {
            _channel.Dispose();
        }
        return ValueTask.CompletedTask;
    }
}
