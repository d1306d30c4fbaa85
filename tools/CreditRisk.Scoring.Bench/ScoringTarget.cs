using CreditRisk.Contracts.Inference;
using CreditRisk.Contracts.Rpc;
using CreditRisk.Contracts.Scoring.V1;
using Grpc.Net.Client;

namespace CreditRisk.Scoring.Bench;

/// <summary>
/// A ScoringService to drive: one channel (several HTTP/2 connections when the streams run out) with the API key on
/// every call; the same channel's Open Inference Protocol ServerLive is the empty call that measures the transport.
/// </summary>
public sealed class ScoringTarget : IDisposable
{
    /// <summary>Every call's deadline: a call past it is counted as failed, not timed.</summary>
    public static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(10);

    private static readonly ServerLiveRequest EmptyCall = new();

    private readonly GrpcChannel _channel;
    private readonly ScoringService.ScoringServiceClient _client;
    private readonly GRPCInferenceService.GRPCInferenceServiceClient _inference;

    public ScoringTarget(string name, string address, string? apiKey)
    {
        Name = name;
        _channel = GrpcChannel.ForAddress(ToHttp(address), new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
        });
        var invoker = _channel.WithApiKey(apiKey);
        _client = new ScoringService.ScoringServiceClient(invoker);
        _inference = new GRPCInferenceService.GRPCInferenceServiceClient(invoker);
    }

    public string Name { get; }

    public async Task ScoreAsync(ScoreRequest request, CancellationToken cancellationToken) =>
        await _client.ScoreAsync(request, deadline: DateTime.UtcNow + CallDeadline, cancellationToken: cancellationToken);

    /// <summary>The request's place in the load runner, ignored: the empty call carries nothing.</summary>
    public async Task ServerLiveAsync(ScoreRequest ignored, CancellationToken cancellationToken) =>
        await _inference.ServerLiveAsync(EmptyCall, deadline: DateTime.UtcNow + CallDeadline, cancellationToken: cancellationToken);

    /// <summary>"grpc://host:port" (or http://) as the http:// address gRPC over h2c takes.</summary>
    public static string ToHttp(string address) =>
        address.StartsWith("grpc://", StringComparison.OrdinalIgnoreCase) ? "http://" + address["grpc://".Length..] : address;

    public void Dispose() => _channel.Dispose();
}
