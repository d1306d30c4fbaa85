using System.Diagnostics;
using CreditRisk.Contracts.Registry.V1;
using CreditRisk.Testing.Processes;
using Grpc.Core;

namespace CreditRisk.Training.Bench;

/// <summary>
/// The registry as it is deployed: its built dll started as a separate process (<see cref="ServiceProcess"/>) on free
/// loopback ports, configured through environment variables, with a database, a broker and an artifact folder of its own.
/// </summary>
public sealed class RegistryProcess : IDisposable
{
    public const string ProjectPath = "services/Registry/CreditRisk.Registry.csproj";
    public const string Dll = "CreditRisk.Registry.dll";

    private readonly ServiceProcess _process;

    private RegistryProcess(ServiceProcess process, string apiKey)
    {
        _process = process;
        Address = $"http://{process.Channel.Target}";
        Client = new RegistryService.RegistryServiceClient(process.CallInvoker(apiKey));
    }

    /// <summary>Where it answers gRPC (h2c).</summary>
    public string Address { get; }

    /// <summary>A client carrying the bench's admin key.</summary>
    public RegistryService.RegistryServiceClient Client { get; }

    /// <summary><c>dotnet build -c Release -o</c> of the registry project into <paramref name="outputFolder"/>; the path of its dll.</summary>
    public static async Task<string> BuildAsync(string repositoryRoot, string outputFolder, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = repositoryRoot,
        };
        foreach (var argument in new[] { "build", Path.Combine(repositoryRoot, ProjectPath), "-c", "Release", "-o", outputFolder, "-nologo", "-v", "q", "-nodeReuse:false" })
        {
            start.ArgumentList.Add(argument);
        }
        using var build = Process.Start(start)!;
        var stderr = build.StandardError.ReadToEndAsync(cancellationToken);
        var stdout = await build.StandardOutput.ReadToEndAsync(cancellationToken);
        await build.WaitForExitAsync(cancellationToken);
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet build {ProjectPath} exited with {build.ExitCode}:\n{stdout}\n{await stderr}");
        }
        return Path.Combine(outputFolder, Dll);
    }

    /// <summary>Starts <paramref name="dll"/> and waits until it answers gRPC (its migrations ran).</summary>
    public static async Task<RegistryProcess> StartAsync(
        string dll, string postgres, string bootstrapServers, string artifactRoot, string apiKey, TimeSpan timeout)
    {
        var process = await ServiceProcess.StartReadyAsync(Path.GetFullPath(dll), new Dictionary<string, string>
        {
            // Its own appsettings.json, not the bench's folder's.
            ["DOTNET_CONTENTROOT"] = Path.GetDirectoryName(Path.GetFullPath(dll))!,
            ["Kestrel__Endpoints__Http__Protocols"] = "Http1",
            ["Kestrel__Endpoints__Grpc__Protocols"] = "Http2",
            ["ConnectionStrings__Postgres"] = postgres,
            ["Kafka__BootstrapServers"] = bootstrapServers,
            ["Registry__Artifacts__RootPath"] = artifactRoot,
            ["ApiKeys__bench__Key"] = apiKey,
            ["ApiKeys__bench__Roles"] = "admin",
        }, started => AnswersAsync(new RegistryService.RegistryServiceClient(started.CallInvoker(apiKey))), timeout, $"the registry ({dll}) to answer gRPC");
        return new RegistryProcess(process, apiKey);
    }

    public string Output => _process.Output;

    public void Dispose() => _process.Dispose();

    private static async Task<bool> AnswersAsync(RegistryService.RegistryServiceClient client)
    {
        try
        {
            await client.GetExperimentByNameAsync(new GetExperimentByNameRequest { Name = "bench-readiness" }, deadline: DateTime.UtcNow.AddSeconds(2));
            return true;
        }
        catch (RpcException missing) when (missing.StatusCode == StatusCode.NotFound)
        {
            return true;
        }
    }

    private static string DotnetHost()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return !string.IsNullOrEmpty(fromEnvironment) && File.Exists(fromEnvironment) ? fromEnvironment : "dotnet";
    }
}
