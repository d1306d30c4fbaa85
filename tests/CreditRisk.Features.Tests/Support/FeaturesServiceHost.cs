using CreditRisk.Contracts.Features.V1;
using CreditRisk.Features.Grpc;
using CreditRisk.Testing.Hosting;
using Microsoft.Extensions.Hosting;

namespace CreditRisk.Features.Tests.Support;

/// <summary>One instance of the features service (processor and retrieval API) on the settings of <see cref="FeaturesSettings"/>.</summary>
public sealed class FeaturesServiceHost : ServiceHost<FeatureRetrievalGrpcService>
{
    private FeaturesServiceHost(ServiceHostOptions options) : base(options)
    {
    }

    /// <summary>A client with every role (Materialize needs admin).</summary>
    public FeatureRetrievalService.FeatureRetrievalServiceClient Client => ClientFor<FeatureRetrievalService.FeatureRetrievalServiceClient>(TestApiKeys.Admin);

    public static Task<FeaturesServiceHost> StartAsync(Dictionary<string, string?> settings) =>
        StartedAsync(new FeaturesServiceHost(new ServiceHostOptions { Environment = Environments.Development, Settings = settings }));
}
