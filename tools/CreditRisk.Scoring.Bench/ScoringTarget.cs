using CreditRisk.Contracts.Rpc;
using CreditRisk.Contracts.Scoring.V1;
using Grpc.Net.Client;

namespace CreditRisk.Scoring.Bench;

/// <summary>A ScoringService to drive: one channel (several HTTP/2 connections when the streams run out) with the API key on every call.</summary>
public sealed class ScoringTarget : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly ScoringService.ScoringServiceClient _client;

    public ScoringTarget(string name, string address, string? apiKey)
    {
        Name = name;
        _channel = GrpcChannel.ForAddress(ToHttp(address), new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
        });
        _client = new ScoringService.ScoringServiceClient(_channel.WithApiKey(apiKey));
    }

    public string Name { get; }

    public async Task ScoreAsync(ScoreRequest request, CancellationToken cancellationToken) =>
        await _client.ScoreAsync(request, deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: cancellationToken);

    /// <summary>"grpc://host:port" (or http://) as the http:// address gRPC over h2c takes.</summary>
    public static string ToHttp(string address) =>
        address.StartsWith("grpc://", StringComparison.OrdinalIgnoreCase) ? "http://" + address["grpc://".Length..] : address;

    public void Dispose() => _channel.Dispose();
}
