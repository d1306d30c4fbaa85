using CreditRisk.Contracts.Rpc;
using CreditRisk.Testing.Hosting;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace CreditRisk.Testing.Processes;

/// <summary>
/// A service's real entry point (its built dll in the test's output folder) as a separate process, on loopback
/// ports of its own, configured through environment variables as a deployment would.
/// </summary>
public sealed class ServiceProcess : IDisposable
{
    private readonly DotnetProcess _process;

    private ServiceProcess(DotnetProcess process, LoopbackEndpoints endpoints)
    {
        _process = process;
        Channel = GrpcChannel.ForAddress(endpoints.Grpc);
    }

    /// <summary>h2c to the service's "Grpc" endpoint.</summary>
    public GrpcChannel Channel { get; }

    public string Output => _process.Output;

    public bool HasExited => _process.HasExited;

    /// <param name="dll">The service's assembly file, e.g. "CreditRisk.Registry.dll".</param>
    /// <param name="environment">Variables over the defaults (free ports, quiet logging), e.g. "Kafka__BootstrapServers".</param>
    public static ServiceProcess Start(string dll, IReadOnlyDictionary<string, string> environment, string environmentName = "Production")
    {
        var endpoints = LoopbackEndpoints.Free();
        var variables = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = environmentName,
            ["ASPNETCORE_ENVIRONMENT"] = environmentName,
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (name, value) in endpoints.Settings)
        {
            variables[name.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        foreach (var (name, value) in environment)
        {
            variables[name] = value;
        }
        return new ServiceProcess(DotnetProcess.Start(dll, variables), endpoints);
    }

    /// <summary>
    /// <see cref="Start"/>, then waits until <paramref name="ready"/> holds. A start that lost one of its free ports to
    /// another process between the port's probe and the bind (the service exits: address already in use) is retried on
    /// new ports, up to three starts in all.
    /// </summary>
    public static async Task<ServiceProcess> StartReadyAsync(
        string dll, IReadOnlyDictionary<string, string> environment, Func<ServiceProcess, Task<bool>> ready, TimeSpan timeout, string what,
        string environmentName = "Production")
    {
        for (var attempt = 1; ; attempt++)
        {
            var process = Start(dll, environment, environmentName);
            try
            {
                await process.WaitUntilAsync(() => ready(process), timeout, what);
                return process;
            }
            catch (InvalidOperationException) when (attempt < 3 && process.HasExited && LostItsPort(process.Output))
            {
                process.Dispose();
            }
            catch
            {
                process.Dispose();
                throw;
            }
        }
    }

    /// <summary>Calls over <see cref="Channel"/> that carry <paramref name="apiKey"/>.</summary>
    public CallInvoker CallInvoker(string apiKey) => Channel.WithApiKey(apiKey);

    /// <summary>Polls <paramref name="ready"/> until it holds; fails at once, with the output, if the process exits first.</summary>
    public Task WaitUntilAsync(Func<Task<bool>> ready, TimeSpan timeout, string what) => _process.WaitUntilAsync(ready, timeout, what);

    /// <summary>SIGKILL: no shutdown code runs; whatever was in flight stays as it was.</summary>
    public void Kill() => _process.Kill();

    /// <summary>SIGTERM, as an orchestrator stops a service; killed if it has not exited by <paramref name="timeout"/>.</summary>
    public Task<int> StopAsync(TimeSpan timeout) => _process.StopAsync(timeout);

    public void Dispose()
    {
        _process.Dispose();
        Channel.Dispose();
    }

    private static bool LostItsPort(string output) => output.Contains("address already in use", StringComparison.OrdinalIgnoreCase);
}
