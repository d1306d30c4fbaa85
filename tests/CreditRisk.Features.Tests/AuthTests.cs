using CreditRisk.Contracts.Features.V1;
using CreditRisk.Features.Tests.Support;
using CreditRisk.Testing.Hosting;
using CreditRisk.Testing.Kafka;
using CreditRisk.Testing.Postgres;
using CreditRisk.Testing.Redis;
using Grpc.Core;

namespace CreditRisk.Features.Tests;

public sealed class AuthTests(DevBrokerFixture broker, PostgresFixture postgres, RedisFixture redis)
    : IClassFixture<DevBrokerFixture>, IClassFixture<PostgresFixture>, IClassFixture<RedisFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Materialize_needs_an_admin_key_and_reads_need_a_reader_key()
    {
        var topics = await TestTopics.CreateAsync(broker, "auth");
        await using var host = await FeaturesServiceHost.StartAsync(
            FeaturesSettings.For(broker, postgres, redis, topics, "auth-" + Guid.NewGuid().ToString("N"), processor: false));
        var materialize = new MaterializeRequest { FeatureViews = { "customer_transactions" } };
        FeatureRetrievalService.FeatureRetrievalServiceClient Client(string? apiKey) => host.ClientFor<FeatureRetrievalService.FeatureRetrievalServiceClient>(apiKey);

        var none = await Assert.ThrowsAsync<RpcException>(() => Client(null).MaterializeAsync(materialize, cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, none.StatusCode);

        foreach (var key in new[] { TestApiKeys.Reader, TestApiKeys.Writer })
        {
            var denied = await Assert.ThrowsAsync<RpcException>(() => Client(key).MaterializeAsync(materialize, cancellationToken: Ct).ResponseAsync);
            Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
            Assert.Contains("admin", denied.Status.Detail, StringComparison.Ordinal);
        }

        var anonymousRead = await Assert.ThrowsAsync<RpcException>(() =>
            Client(null).ListFeatureDefinitionsAsync(new ListFeatureDefinitionsRequest(), cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, anonymousRead.StatusCode);
        var definitions = await Client(TestApiKeys.Reader).ListFeatureDefinitionsAsync(new ListFeatureDefinitionsRequest(), cancellationToken: Ct);
        Assert.NotEmpty(definitions.FeatureViews);

        await Client(TestApiKeys.Admin).MaterializeAsync(materialize, cancellationToken: Ct);
    }
}
