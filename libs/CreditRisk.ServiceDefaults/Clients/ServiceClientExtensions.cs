using CreditRisk.Contracts.Rpc;
using CreditRisk.ServiceDefaults.Clients;
using Grpc.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

// In the hosting namespace, like AddServiceDefaults, so a composition root needs no extra using.
namespace Microsoft.Extensions.Hosting;

public static class ServiceClientExtensions
{
    /// <summary>The configuration section of service <paramref name="serviceName"/>'s client: <c>Services:&lt;Name&gt;</c>.</summary>
    public static string SectionOf(string serviceName) => $"Services:{serviceName}";

    /// <summary>
    /// A gRPC client of another CreditRisk service, the one way services call each other: its address and API key from
    /// <c>Services:&lt;Name&gt;:Address</c> and <c>Services:&lt;Name&gt;:ApiKey</c>, the key on every call as
    /// <see cref="ApiKeyMetadata"/> sends it, through the gRPC client factory (one pooled HTTP/2 handler, traced by the
    /// service defaults' gRPC client instrumentation). The returned builder lets a test swap the primary handler.
    /// </summary>
    public static IHttpClientBuilder AddServiceClient<TClient>(this IHostApplicationBuilder builder, string serviceName)
        where TClient : ClientBase<TClient>
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Services.AddServiceClient<TClient>(builder.Configuration, serviceName);
    }

    /// <inheritdoc cref="AddServiceClient{TClient}(IHostApplicationBuilder, string)"/>
    public static IHttpClientBuilder AddServiceClient<TClient>(this IServiceCollection services, IConfiguration configuration, string serviceName)
        where TClient : ClientBase<TClient>
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceName);
        services.AddOptions<ServiceClientOptions>(serviceName).Bind(configuration.GetSection(SectionOf(serviceName)));
        var client = services
            .AddGrpcClient<TClient>(serviceName, (provider, options) =>
            {
                var configured = provider.GetRequiredService<IOptionsMonitor<ServiceClientOptions>>().Get(serviceName);
                if (!Uri.TryCreate(configured.Address, UriKind.Absolute, out var address))
                {
                    throw new InvalidOperationException(
                        $"{SectionOf(serviceName)}:Address is not set to an absolute URI (it is '{configured.Address}'): where does the {serviceName} service answer gRPC?");
                }
                options.Address = address;
            })
            .ConfigureChannel(channel =>
            {
                // Training sets and model files stream through these clients; the service bounds what it sends.
                channel.MaxReceiveMessageSize = null;
                channel.MaxSendMessageSize = null;
            })
            .ConfigureGrpcClientCreator((provider, calls) =>
            {
                var apiKey = provider.GetRequiredService<IOptionsMonitor<ServiceClientOptions>>().Get(serviceName).ApiKey;
                return (TClient)Activator.CreateInstance(typeof(TClient), calls.WithApiKey(string.IsNullOrEmpty(apiKey) ? null : apiKey))!;
            });
        // The defaults' HTTP resilience would time out long streaming calls and replay requests a gRPC stream cannot replay;
        // callers retry whole calls where that is safe.
#pragma warning disable EXTEXP0001 // The one way to opt a client out of ConfigureHttpClientDefaults' handler.
        client.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        return client;
    }
}
