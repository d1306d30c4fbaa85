using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CreditRisk.Contracts.Registry.V1;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace CreditRisk.Registry.Tests.Support;

/// <summary>The registry service as its own OS process (the built CreditRisk.Registry.dll), so a test can SIGKILL it.</summary>
public sealed class RegistryProcess : IDisposable
{
    private readonly Process _process;
    private readonly GrpcChannel _channel;
    private readonly StringBuilder _output = new();

    private RegistryProcess(Process process, int grpcPort, string apiKey)
    {
        _process = process;
        _channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        Client = new RegistryService.RegistryServiceClient(_channel.Intercept(metadata =>
        {
            metadata.Add("x-api-key", apiKey);
            return metadata;
        }));
    }

    public RegistryService.RegistryServiceClient Client { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static RegistryProcess Start(string connectionString, string bootstrapServers, string artifactRoot, IReadOnlyDictionary<string, string>? extra = null)
    {
        var grpcPort = FreePort();
        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "CreditRisk.Registry.dll"));
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Postgres"] = connectionString,
            ["Kafka__BootstrapServers"] = bootstrapServers,
            ["Kafka__StatisticsIntervalMs"] = "0",
            ["Registry__Artifacts__RootPath"] = artifactRoot,
            ["Registry__Outbox__PollIntervalMs"] = "200",
            ["ApiKeys__chaos__Key"] = TestApiKeys.Admin,
            ["ApiKeys__chaos__Roles"] = "reader,writer,promoter",
            ["Kestrel__Endpoints__Http__Url"] = $"http://127.0.0.1:{FreePort()}",
            ["Kestrel__Endpoints__Grpc__Url"] = $"http://127.0.0.1:{grpcPort}",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (name, value) in extra ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }
        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }
        var process = new Process { StartInfo = startInfo };
        var registry = new RegistryProcess(process, grpcPort, TestApiKeys.Admin);
        process.OutputDataReceived += (_, line) => registry.Append(line.Data);
        process.ErrorDataReceived += (_, line) => registry.Append(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return registry;
    }

    /// <summary>Waits until the service answers calls (migrated, listening).</summary>
    public Task WaitUntilServingAsync(TimeSpan timeout) =>
        CreditRisk.Testing.Kafka.Eventually.ThatAsync(async () =>
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException("The registry process exited:\n" + Output);
            }
            try
            {
                await Client.GetRegisteredModelAsync(new GetRegisteredModelRequest { Name = "probe" }, deadline: DateTime.UtcNow.AddSeconds(5));
            }
            catch (global::Grpc.Core.RpcException exception) when (exception.StatusCode == global::Grpc.Core.StatusCode.NotFound)
            {
            }
            return true;
        }, timeout, "the registry process to serve gRPC");

    /// <summary>SIGKILL: no shutdown code runs; whatever was in flight stays as it was.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        Kill();
        _channel.Dispose();
        _process.Dispose();
    }
}
