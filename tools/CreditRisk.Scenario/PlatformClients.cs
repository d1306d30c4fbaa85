using CreditRisk.Contracts.Drift.V1;
using CreditRisk.Contracts.Ingestion.V1;
using CreditRisk.Contracts.Registry.V1;
using CreditRisk.Contracts.Rpc;
using CreditRisk.Contracts.Scoring.V1;
using CreditRisk.Contracts.Training.V1;
using Grpc.Net.Client;

namespace CreditRisk.Scenario;

/// <summary>gRPC clients of the running services, each call carrying the API key.</summary>
public sealed class PlatformClients : IDisposable
{
    private readonly List<GrpcChannel> _channels = [];
    private readonly IReadOnlyList<GrpcChannel> _scoringChannels;

    public PlatformClients(ScenarioOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Ingestion = new IngestionService.IngestionServiceClient(Channel(options.Ingestion, options.ApiKey));
        // Several connections: a proxy in front of replicas balances connections, not the requests on one.
        _scoringChannels = [.. Enumerable.Range(0, ScoringConnections).Select(_ => NewChannel(options.Scoring))];
        ScoringLanes = [.. _scoringChannels.Select(channel => new ScoringService.ScoringServiceClient(channel.WithApiKey(options.ApiKey)))];
        Registry = new RegistryService.RegistryServiceClient(Channel(options.Registry, options.ApiKey));
        Training = new TrainingService.TrainingServiceClient(Channel(options.Training, options.ApiKey));
        Drift = new DriftService.DriftServiceClient(Channel(options.Drift, options.ApiKey));
    }

    public IngestionService.IngestionServiceClient Ingestion { get; }

    private const int ScoringConnections = 16;

    /// <summary>Scoring clients, each over a connection of its own.</summary>
    public IReadOnlyList<ScoringService.ScoringServiceClient> ScoringLanes { get; }

    public RegistryService.RegistryServiceClient Registry { get; }

    public TrainingService.TrainingServiceClient Training { get; }

    public DriftService.DriftServiceClient Drift { get; }

    public void Dispose()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }
    }

    /// <summary>Opens every scoring connection, so the first requests do not pay for it in their latency.</summary>
    public Task ConnectScoringAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_scoringChannels.Select(channel => channel.ConnectAsync(cancellationToken)));

    private Grpc.Core.CallInvoker Channel(Uri address, string apiKey) => NewChannel(address).WithApiKey(apiKey);

    private GrpcChannel NewChannel(Uri address)
    {
        var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
        });
        _channels.Add(channel);
        return channel;
    }
}
