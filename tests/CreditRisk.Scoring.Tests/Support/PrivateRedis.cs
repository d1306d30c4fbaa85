using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CreditRisk.Testing.Kafka;

namespace CreditRisk.Scoring.Tests.Support;

/// <summary>
/// A redis-server of the test's own (Debian's package, on a free port, nothing persisted), so a test can take Redis away
/// from a service and bring it back on the same address without touching the shared one.
/// </summary>
public sealed class PrivateRedis : IAsyncDisposable
{
    private Process? _server;

    public PrivateRedis()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
    }

    public int Port { get; }

    public string Configuration => $"127.0.0.1:{Port},connectTimeout=1000,syncTimeout=1000,asyncTimeout=1000";

    public async Task StartAsync()
    {
        _server = Process.Start(new ProcessStartInfo("redis-server", ["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("redis-server did not start (apt-get install redis-server)");
        _server.OutputDataReceived += (_, _) => { };
        _server.BeginOutputReadLine();
        await Eventually.ThatAsync(async () =>
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port);
            return true;
        }, TimeSpan.FromSeconds(10), $"redis-server on port {Port}");
    }

    public async Task StopAsync()
    {
        if (_server is { HasExited: false } server)
        {
            server.Kill();
            await server.WaitForExitAsync();
        }
        _server?.Dispose();
        _server = null;
    }

    /// <summary>SIGSTOP: the server keeps its connections but answers nothing until <see cref="ResumeAsync"/>.</summary>
    public Task PauseAsync() => SignalAsync("-STOP");

    public Task ResumeAsync() => SignalAsync("-CONT");

    public async ValueTask DisposeAsync()
    {
        if (_server is { HasExited: false })
        {
            await ResumeAsync();
        }
        await StopAsync();
    }

    private async Task SignalAsync(string signal)
    {
        var server = _server ?? throw new InvalidOperationException("redis-server is not running");
        using var kill = Process.Start("kill", [signal, server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill {signal} {server.Id} exited with {kill.ExitCode}");
        }
    }
}
