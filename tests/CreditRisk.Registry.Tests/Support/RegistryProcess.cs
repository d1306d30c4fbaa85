using CreditRisk.Contracts.Registry.V1;
using CreditRisk.Testing.Hosting;
using CreditRisk.Testing.Processes;
using Grpc.Core;

namespace CreditRisk.Registry.Tests.Support;

/// <summary>The registry service as its own OS process (the built CreditRisk.Registry.dll), so a test can SIGKILL it.</summary>
public sealed class RegistryProcess : IDisposable
{
    private readonly ServiceProcess _process;

    private RegistryProcess(ServiceProcess process)
    {
        _process = process;
        Client = new RegistryService.RegistryServiceClient(process.CallInvoker(TestApiKeys.Admin));
    }

    /// <summary>A client with every role.</summary>
    public RegistryService.RegistryServiceClient Client { get; }

    public string Output => _process.Output;

    public static RegistryProcess Start(string connectionString, string bootstrapServers, string artifactRoot, IReadOnlyDictionary<string, string>? extra = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = connectionString,
            ["Kafka__BootstrapServers"] = bootstrapServers,
            ["Kafka__StatisticsIntervalMs"] = "0",
            ["Registry__Artifacts__RootPath"] = artifactRoot,
            ["Registry__Outbox__PollIntervalMs"] = "200",
            ["ApiKeys__chaos__Key"] = TestApiKeys.Admin,
            ["ApiKeys__chaos__Roles"] = "reader,writer,promoter",
        };
        foreach (var (name, value) in extra ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }
        return new RegistryProcess(ServiceProcess.Start("CreditRisk.Registry.dll", environment));
    }

    /// <summary>Waits until the service answers calls (migrated, listening).</summary>
    public Task WaitUntilServingAsync(TimeSpan timeout) => _process.WaitUntilAsync(async () =>
    {
        try
        {
            await Client.GetRegisteredModelAsync(new GetRegisteredModelRequest { Name = "probe" }, deadline: DateTime.UtcNow.AddSeconds(5));
        }
        catch (RpcException exception) when (exception.StatusCode == StatusCode.NotFound)
        {
        }
        return true;
    }, timeout, "the registry process to serve gRPC");

    /// <summary>SIGKILL: no shutdown code runs; whatever was in flight stays as it was.</summary>
    public void Kill() => _process.Kill();

    public void Dispose() => _process.Dispose();
}
