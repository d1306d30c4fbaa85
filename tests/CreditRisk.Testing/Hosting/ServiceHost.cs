using Grpc.Net.Client;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;

namespace CreditRisk.Testing.Hosting;

/// <summary>
/// One instance of a service: its real Program.cs, run in-process with a test's configuration, on a test server or
/// (<see cref="ServiceHostOptions.Loopback"/>) on Kestrel at loopback ports, where it has no <see cref="WebTestHost.Server"/>
/// and its channel and HTTP clients go over the sockets.
/// <typeparamref name="TEntryPoint"/> is any type of the service's assembly (a test may reference several services,
/// each with its own Program). Several hosts with the same settings are several instances of the service.
/// </summary>
public class ServiceHost<TEntryPoint> : WebTestHost where TEntryPoint : class
{
    private readonly ServiceFactory<TEntryPoint> _factory;

    protected ServiceHost(ServiceHostOptions options) => _factory = new ServiceFactory<TEntryPoint>(options);

    public override IServiceProvider Services => _factory.Services;

    public override TestServer Server => _factory.Server;

    /// <summary>The service's sockets when it was started with <see cref="ServiceHostOptions.Loopback"/>; null otherwise.</summary>
    public LoopbackEndpoints? Loopback => _factory.Loopback;

    public static Task<ServiceHost<TEntryPoint>> StartAsync(ServiceHostOptions options) => StartedAsync(new ServiceHost<TEntryPoint>(options));

    /// <summary>Starts <paramref name="host"/>'s service (its hosted services too) and returns it once it serves.</summary>
    protected static async Task<THost> StartedAsync<THost>(THost host) where THost : ServiceHost<TEntryPoint>
    {
        try
        {
            // Starting runs the hosted services' StartAsync (migrations, topic provisioning) synchronously.
            await Task.Run(host._factory.StartServer);
            return host;
        }
        catch
        {
            await host._factory.DisposeAsync();
            throw;
        }
    }

    /// <summary>Asks the service to stop, as SIGTERM would, and waits until its own run loop has stopped it.</summary>
    protected override async Task StopHostAsync()
    {
        var lifetime = Get<IHostApplicationLifetime>();
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var registration = lifetime.ApplicationStopped.Register(() => stopped.TrySetResult());
        lifetime.StopApplication();
        await stopped.Task;
    }

    protected override GrpcChannel CreateChannel() =>
        Loopback is { } endpoints ? GrpcChannel.ForAddress(endpoints.Grpc, new GrpcChannelOptions { MaxReceiveMessageSize = null }) : base.CreateChannel();

    protected override HttpClient CreateBareHttpClient() =>
        Loopback is { } endpoints ? new HttpClient { BaseAddress = endpoints.Http } : base.CreateBareHttpClient();

    protected override ValueTask DisposeApplicationAsync() => _factory.DisposeAsync();
}
