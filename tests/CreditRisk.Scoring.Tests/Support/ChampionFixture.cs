using CreditRisk.Contracts.Scoring.V1;
using CreditRisk.Modeling.Models;
using CreditRisk.Scoring.Grpc;
using CreditRisk.Testing.Hosting;
using CreditRisk.Testing.Kafka;

namespace CreditRisk.Scoring.Tests.Support;

/// <summary>An environment whose model has model A as version 1, promoted to champion, and one ready scoring instance.</summary>
public sealed class ChampionFixture(DevBrokerFixture broker) : IAsyncLifetime
{
    public ScoringEnvironment Environment { get; } = new(broker);

    public ServiceHost<ScoringGrpcService> Scoring { get; private set; } = null!;

    public ScoringService.ScoringServiceClient Client => ScoringEnvironment.Client(Scoring);

    /// <summary>Model A, loaded here: what scoring must agree with.</summary>
    public CreditRiskModel Offline { get; } = TestModels.Load(TestModels.ModelA);

    public async ValueTask InitializeAsync()
    {
        await Environment.InitializeAsync();
        var version = await Environment.RegisterAsync(TestModels.ModelA);
        await Environment.PromoteAsync(version);
        Scoring = await Environment.StartReadyScoringAsync();
    }

    public ValueTask DisposeAsync() => Environment.DisposeAsync();
}
