using CreditRisk.Contracts.Rpc;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CreditRisk.ServiceDefaults.Tests;

/// <summary>AddServiceClient: the address and key of Services:&lt;Name&gt;, the key on every call.</summary>
public sealed class ServiceClientTests
{
    /// <summary>Answers every gRPC call NOT_FOUND (trailers only), remembering what it was sent.</summary>
    private sealed class RecordingHandler : HttpMessageHandler
    {
        public List<HttpRequestMessage> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            var response = new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Version = request.Version, Content = new ByteArrayContent([]) };
            response.Content.Headers.ContentType = new("application/grpc");
            response.Headers.Add("grpc-status", "5");
            response.Headers.Add("grpc-message", "recorded");
            return Task.FromResult(response);
        }
    }

    private static (ServiceProvider Services, RecordingHandler Handler) Build(Dictionary<string, string?> settings)
    {
        var handler = new RecordingHandler();
        var services = new ServiceCollection();
        services.AddServiceClient<Health.HealthClient>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), "Registry")
            .ConfigurePrimaryHttpMessageHandler(() => handler);
        return (services.BuildServiceProvider(), handler);
    }

    [Fact]
    public async Task A_client_calls_the_configured_address_with_the_configured_key()
    {
        var (services, handler) = Build(new() { ["Services:Registry:Address"] = "http://registry.test:5031", ["Services:Registry:ApiKey"] = "key-1" });
        using var _ = services;

        var refused = await Assert.ThrowsAsync<RpcException>(() =>
            services.GetRequiredService<Health.HealthClient>().CheckAsync(new HealthCheckRequest(), cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, refused.StatusCode);
        var request = Assert.Single(handler.Requests);
        Assert.Equal("http://registry.test:5031/grpc.health.v1.Health/Check", request.RequestUri!.ToString());
        Assert.Equal(["key-1"], request.Headers.GetValues(ApiKeyMetadata.HeaderName));
    }

    [Fact]
    public async Task An_empty_key_sends_none_and_a_missing_address_is_named()
    {
        var (services, handler) = Build(new() { ["Services:Registry:Address"] = "http://registry.test:5031", ["Services:Registry:ApiKey"] = "" });
        using (services)
        {
            await Assert.ThrowsAsync<RpcException>(() =>
                services.GetRequiredService<Health.HealthClient>().CheckAsync(new HealthCheckRequest(), cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);
            Assert.False(Assert.Single(handler.Requests).Headers.Contains(ApiKeyMetadata.HeaderName));
        }

        var (unconfigured, _) = Build([]);
        using (unconfigured)
        {
            var missing = Assert.Throws<InvalidOperationException>(() => unconfigured.GetRequiredService<Health.HealthClient>());
            Assert.Contains("Services:Registry:Address", missing.Message, StringComparison.Ordinal);
        }
    }
}
