using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using CreditRisk.DevBroker;

namespace CreditRisk.Testing.Kafka;

/// <summary>
/// The dev broker as a separate OS process (the built CreditRisk.DevBroker.dll run with <c>dotnet</c>), so tests can
/// kill it with SIGKILL and restart it on the same data folder and port.
/// </summary>
public sealed partial class DevBrokerProcess : IAsyncDisposable
{
    private static readonly TimeSpan DefaultStartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly TaskCompletionSource<int> listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DevBrokerProcess(Process process, string dataDirectory)
    {
        this.process = process;
        DataDirectory = dataDirectory;
    }

    public string DataDirectory { get; }

    /// <summary>The port the broker reported in its "listening on HOST:PORT" line.</summary>
    public int Port { get; private set; }

    public string BootstrapServers => $"127.0.0.1:{Port}";

    public bool HasExited => process.HasExited;

    /// <summary>Everything the process printed on stdout and stderr so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>The path of CreditRisk.DevBroker.dll next to the referenced broker assembly.</summary>
    public static string BrokerDllPath => typeof(KafkaDevBroker).Assembly.Location;

    /// <summary>Starts the broker process on <paramref name="port"/> (0 = a free port) and waits for its "listening on" line.</summary>
    public static async Task<DevBrokerProcess> StartAsync(
        string dataDirectory,
        int port = 0,
        IEnumerable<string>? extraArguments = null,
        TimeSpan? startTimeout = null)
    {
        var startInfo = new ProcessStartInfo(DotnetHostPath())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        startInfo.ArgumentList.Add(BrokerDllPath);
        startInfo.ArgumentList.Add("--port");
        startInfo.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        startInfo.ArgumentList.Add("--data");
        startInfo.ArgumentList.Add(dataDirectory);
        foreach (var argument in extraArguments ?? [])
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var broker = new DevBrokerProcess(process, dataDirectory);
        process.OutputDataReceived += (_, e) => broker.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => broker.OnLine(e.Data);
        process.Exited += (_, _) => broker.listening.TrySetException(
            new InvalidOperationException($"The broker process exited before it was listening.\n{broker.Output}"));

        if (!process.Start())
        {
            throw new InvalidOperationException("Could not start the broker process.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var timeout = startTimeout ?? DefaultStartTimeout;
        try
        {
            broker.Port = await broker.listening.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            broker.Kill();
            throw new TimeoutException($"The broker process did not print \"listening on\" within {timeout.TotalSeconds:0} s.\n{broker.Output}");
        }

        return broker;
    }

    /// <summary>SIGKILL: the process gets no chance to flush or close anything.</summary>
    public void Kill()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        process.WaitForExit(30_000);
    }

    /// <summary>Starts a new broker process on the same data folder and port as this (killed or stopped) one.</summary>
    public Task<DevBrokerProcess> RestartAsync(IEnumerable<string>? extraArguments = null)
    {
        Kill();
        return StartAsync(DataDirectory, Port, extraArguments);
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        process.Dispose();
        return ValueTask.CompletedTask;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }

        var match = ListeningLine().Match(line);
        if (match.Success)
        {
            listening.TrySetResult(int.Parse(match.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private static string DotnetHostPath()
    {
        // `dotnet test` sets DOTNET_HOST_PATH to the host that runs it; otherwise rely on PATH.
        var fromEnvironment = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromEnvironment) && File.Exists(fromEnvironment))
        {
            return fromEnvironment;
        }

        var processPath = Environment.ProcessPath;
        if (processPath is not null && Path.GetFileNameWithoutExtension(processPath) == "dotnet")
        {
            return processPath;
        }

        return "dotnet";
    }

    [GeneratedRegex(@"listening on (?<host>[^\s:]+|\[[^\]]+\]):(?<port>\d+)")]
    private static partial Regex ListeningLine();
}
