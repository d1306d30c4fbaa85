using System.Diagnostics;
using System.Text;

namespace CreditRisk.Testing.Processes;

/// <summary>
/// A .NET program from the test's output folder run as a separate process, so a test can kill it with
/// SIGKILL — the honest way to show what survives a crash.
/// </summary>
public sealed class DotnetProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private DotnetProcess(Process process) => _process = process;

    /// <summary>Everything it printed so far (for failure messages).</summary>
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

    /// <summary>Starts <paramref name="dll"/> (a file name in the test's output folder) with extra environment.</summary>
    public static DotnetProcess Start(string dll, IReadOnlyDictionary<string, string> environment)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        startInfo.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, dll));
        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }
        var process = new Process { StartInfo = startInfo };
        var started = new DotnetProcess(process);
        process.OutputDataReceived += (_, line) => started.Append(line.Data);
        process.ErrorDataReceived += (_, line) => started.Append(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
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

    /// <summary>SIGKILL: no shutdown code runs, nothing is committed or flushed on the way out.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
