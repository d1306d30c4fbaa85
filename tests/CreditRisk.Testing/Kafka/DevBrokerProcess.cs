using System.Globalization;
using System.Text.RegularExpressions;
using CreditRisk.DevBroker;
using CreditRisk.Testing.Processes;

namespace CreditRisk.Testing.Kafka;

/// <summary>
/// The dev broker as a separate OS process (the built CreditRisk.DevBroker.dll run with <c>dotnet</c>), so tests can
/// kill it with SIGKILL and restart it on the same data folder and port.
/// </summary>
public sealed partial class DevBrokerProcess : IAsyncDisposable
{
    private static readonly TimeSpan DefaultStartTimeout = TimeSpan.FromSeconds(60);

    private readonly DotnetProcess _process;

    private DevBrokerProcess(DotnetProcess process, string dataDirectory, int port)
    {
        _process = process;
        DataDirectory = dataDirectory;
        Port = port;
    }

    public string DataDirectory { get; }

    /// <summary>The port the broker reported in its "listening on HOST:PORT" line.</summary>
    public int Port { get; }

    public string BootstrapServers => $"127.0.0.1:{Port}";

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process printed on stdout and stderr so far (for failure messages).</summary>
    public string Output => _process.Output;

    /// <summary>The path of CreditRisk.DevBroker.dll next to the referenced broker assembly.</summary>
    public static string BrokerDllPath => typeof(KafkaDevBroker).Assembly.Location;

    /// <summary>Starts the broker process on <paramref name="port"/> (0 = a free port) and waits for its "listening on" line.</summary>
    public static async Task<DevBrokerProcess> StartAsync(
        string dataDirectory,
        int port = 0,
        IEnumerable<string>? extraArguments = null,
        TimeSpan? startTimeout = null)
    {
        var process = DotnetProcess.Start(
            BrokerDllPath,
            arguments: ["--port", port.ToString(CultureInfo.InvariantCulture), "--data", dataDirectory, .. extraArguments ?? []]);
        try
        {
            var listening = await process.WaitForOutputAsync(ListeningLine(), startTimeout ?? DefaultStartTimeout);
            return new DevBrokerProcess(process, dataDirectory, int.Parse(listening.Groups["port"].Value, CultureInfo.InvariantCulture));
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    /// <summary>SIGKILL: the process gets no chance to flush or close anything.</summary>
    public void Kill() => _process.Kill();

    /// <summary>Starts a new broker process on the same data folder and port as this (killed or stopped) one.</summary>
    public Task<DevBrokerProcess> RestartAsync(IEnumerable<string>? extraArguments = null)
    {
        Kill();
        return StartAsync(DataDirectory, Port, extraArguments);
    }

    public ValueTask DisposeAsync()
    {
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    [GeneratedRegex(@"listening on (?<host>[^\s:]+|\[[^\]]+\]):(?<port>\d+)")]
    private static partial Regex ListeningLine();
}
