using CreditRisk.Contracts.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.TestHost;

namespace CreditRisk.Testing.Hosting;

/// <summary>
/// A web application served in-process by a <see cref="TestServer"/>: gRPC and HTTP without sockets, unless a host
/// serves on sockets and says so by overriding how its channel and HTTP clients are made.
/// </summary>
public abstract class WebTestHost : TestHost
{
    private GrpcChannel? _channel;

    public abstract TestServer Server { get; }

    /// <summary>One gRPC channel to the application, without a receive size limit (training sets are large).</summary>
    public GrpcChannel Channel => _channel ??= CreateChannel();

    /// <summary>Calls over <see cref="Channel"/> that carry <paramref name="apiKey"/> (none when null).</summary>
    public CallInvoker CallInvoker(string? apiKey = null) => Channel.WithApiKey(apiKey);

    /// <summary>A gRPC client of the service whose calls carry <paramref name="apiKey"/> (none when null).</summary>
    public TClient ClientFor<TClient>(string? apiKey) where TClient : ClientBase<TClient> =>
        (TClient)Activator.CreateInstance(typeof(TClient), CallInvoker(apiKey))!;

    /// <summary>Plain HTTP to the application (health, metrics, REST), carrying <paramref name="apiKey"/> when given.</summary>
    public HttpClient CreateHttpClient(string? apiKey = null)
    {
        var client = CreateBareHttpClient();
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add(ApiKeyMetadata.HeaderName, apiKey);
        }
        return client;
    }

    protected virtual GrpcChannel CreateChannel() => GrpcChannel.ForAddress(Server.BaseAddress, new GrpcChannelOptions
    {
        HttpHandler = Server.CreateHandler(),
        MaxReceiveMessageSize = null,
    });

    /// <summary>An HTTP client to the application without headers of its own.</summary>
    protected virtual HttpClient CreateBareHttpClient() => Server.CreateClient();

    protected override ValueTask DisposeHostAsync()
    {
        _channel?.Dispose();
        return DisposeApplicationAsync();
    }

    protected abstract ValueTask DisposeApplicationAsync();
}
