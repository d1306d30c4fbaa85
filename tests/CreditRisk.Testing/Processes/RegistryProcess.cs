using CreditRisk.Contracts.Registry.V1;
using Grpc.Core;

namespace CreditRisk.Testing.Processes;

/// <summary>
/// The registry service as its own OS process (its built dll, <see cref="ServiceProcess"/>) on free loopback ports,
/// configured through environment variables as it is deployed, so a test can SIGKILL it or a benchmark call it as a
/// client would. Returned once it answers gRPC (its migrations ran).
/// </summary>
public sealed class RegistryProcess : IDisposable
{
    public const string Dll = "CreditRisk.Registry.dll";

    private readonly ServiceProcess _process;

    private RegistryProcess(ServiceProcess process, RegistryService.RegistryServiceClient client)
    {
        _process = process;
        Address = $"http://{process.Channel.Target}";
        Client = client;
    }

    /// <summary>Where it answers gRPC (h2c).</summary>
    public string Address { get; }

    /// <summary>A client carrying the key it was started with.</summary>
    public RegistryService.RegistryServiceClient Client { get; }

    public string Output => _process.Output;

    /// <summary>
    /// Starts <paramref name="dll"/> with one API key (<paramref name="apiKey"/> with <paramref name="roles"/>, e.g.
    /// "admin" or "reader,writer") and waits until it answers. <paramref name="extra"/> goes over the defaults.
    /// </summary>
    public static async Task<RegistryProcess> StartAsync(
        string dll, string postgres, string bootstrapServers, string artifactRoot, string apiKey, string roles, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? extra = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = postgres,
            ["Kafka__BootstrapServers"] = bootstrapServers,
            ["Registry__Artifacts__RootPath"] = artifactRoot,
            ["ApiKeys__process__Key"] = apiKey,
            ["ApiKeys__process__Roles"] = roles,
        };
        foreach (var (name, value) in extra ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }
        var process = await ServiceProcess.StartReadyAsync(
            dll, environment, started => AnswersAsync(Connect(started, apiKey)), timeout, $"the registry ({dll}) to answer gRPC");
        return new RegistryProcess(process, Connect(process, apiKey));
    }

    /// <summary>SIGKILL: no shutdown code runs; whatever was in flight stays as it was.</summary>
    public void Kill() => _process.Kill();

    public void Dispose() => _process.Dispose();

    private static RegistryService.RegistryServiceClient Connect(ServiceProcess process, string apiKey) => new(process.CallInvoker(apiKey));

    private static async Task<bool> AnswersAsync(RegistryService.RegistryServiceClient client)
    {
        try
        {
            await client.GetExperimentByNameAsync(new GetExperimentByNameRequest { Name = "process-readiness" }, deadline: DateTime.UtcNow.AddSeconds(5));
            return true;
        }
        catch (RpcException missing) when (missing.StatusCode == StatusCode.NotFound)
        {
            return true;
        }
        catch (RpcException)
        {
            return false;
        }
    }
}
