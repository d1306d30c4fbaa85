using CreditRisk.Contracts.Ingestion.V1;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace CreditRisk.DataImport;

/// <summary>Submits through a running ingestion service's SubmitBatch (validation and dedup happen there).</summary>
public sealed class GrpcImportTarget : IAsyncDisposable
{
    /// <summary>The gRPC metadata key the services read an API key from.</summary>
    public const string ApiKeyHeader = "x-api-key";

    private readonly GrpcChannel _channel;
    private readonly bool _ownsChannel;
    private readonly IngestionService.IngestionServiceClient _client;

    /// <param name="apiKey">Sent with every call when given.</param>
    public GrpcImportTarget(GrpcChannel channel, string? apiKey = null, bool ownsChannel = true)
    {
        _channel = channel;
        _ownsChannel = ownsChannel;
        _client = new IngestionService.IngestionServiceClient(apiKey is null
            ? channel.CreateCallInvoker()
            : channel.Intercept(metadata =>
            {
                metadata.Add(ApiKeyHeader, apiKey);
                return metadata;
            }));
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
