using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using CreditRisk.Testing.Kafka;

namespace CreditRisk.Testing.Processes;

/// <summary>
/// A .NET program run as a separate process (<c>dotnet program.dll</c>), so a test can kill it with SIGKILL —
/// the honest way to show what survives a crash — or stop it with SIGTERM as an orchestrator would.
/// </summary>
public sealed class DotnetProcess : IDisposable
{
    private const int SigTerm = 15;

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private DotnetProcess(Process process) => _process = process;

    /// <summary>Everything it printed on stdout and stderr so far (for failure messages).</summary>
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

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts <paramref name="dll"/> (a path, or a file name in the test's output folder) with extra environment
    /// variables and arguments; its working folder is the test's output folder.
    /// </summary>
    public static DotnetProcess Start(string dll, IReadOnlyDictionary<string, string>? environment = null, IEnumerable<string>? arguments = null)
    {
        var startInfo = new ProcessStartInfo(HostPath())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        startInfo.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, dll));
        foreach (var argument in arguments ?? [])
        {
            startInfo.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }
        var process = new Process { StartInfo = startInfo };
        var started = new DotnetProcess(process);
        process.OutputDataReceived += (_, line) => started.Append(line.Data);
        process.ErrorDataReceived += (_, line) => started.Append(line.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {dll}.");
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>Polls <paramref name="ready"/> until it holds; fails at once, with the output, if the process exits first.</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> ready, TimeSpan timeout, string what)
    {
        try
        {
            await Eventually.ThatAsync(async () => HasExited || await ready(), timeout, what);
        }
        catch (TimeoutException exception)
        {
            throw new TimeoutException($"{exception.Message}\n{Output}", exception.InnerException);
        }
        if (HasExited)
        {
            // Exit comes before the last redirected lines are read; this waits for them.
            _process.WaitForExit();
            throw new InvalidOperationException($"The process exited before {what}:\n{Output}");
        }
    }

    /// <summary>Waits until the process printed a line matching <paramref name="pattern"/>, and returns the match.</summary>
    public async Task<Match> WaitForOutputAsync(Regex pattern, TimeSpan timeout)
    {
        Match? match = null;
        await WaitUntilAsync(() => Task.FromResult((match = pattern.Match(Output)).Success), timeout, $"a line matching \"{pattern}\"");
        return match!;
    }

    /// <summary>SIGKILL: no shutdown code runs, nothing is committed or flushed on the way out.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.WaitForExit(30_000);
    }

    /// <summary>SIGTERM, then waits for a graceful exit; kills the process if it has not exited by <paramref name="timeout"/>.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        if (!_process.HasExited && Terminate(_process.Id, SigTerm) != 0)
        {
            throw new InvalidOperationException($"SIGTERM failed: errno {Marshal.GetLastPInvokeError()}");
        }
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
        return _process.ExitCode;
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
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

    /// <summary>The <c>dotnet</c> host to run a program or a build with.</summary>
    public static string HostPath()
    {
        // `dotnet test` sets DOTNET_HOST_PATH to the host that runs it; otherwise rely on PATH.
        var fromEnvironment = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromEnvironment) && File.Exists(fromEnvironment))
        {
            return fromEnvironment;
        }
        var processPath = Environment.ProcessPath;
        return processPath is not null && Path.GetFileNameWithoutExtension(processPath) == "dotnet" ? processPath : "dotnet";
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Terminate(int pid, int signal);
}
