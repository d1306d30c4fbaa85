using System.Diagnostics;
using System.Text;

namespace CreditRisk.Features.Tests.Support;

/// <summary>The features service as a separate process (its real entry point), so a test can kill it with SIGKILL.</summary>
public sealed class FeaturesProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private FeaturesProcess(Process process) => _process = process;

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

    public static FeaturesProcess Start(IReadOnlyDictionary<string, string> environment)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "CreditRisk.Features.dll");
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        startInfo.ArgumentList.Add(dll);
        // Free ports, so that test runs and a locally running service never collide.
        startInfo.Environment["Kestrel__Endpoints__Http__Url"] = "http://127.0.0.1:0";
        startInfo.Environment["Kestrel__Endpoints__Grpc__Url"] = "http://127.0.0.1:0";
        startInfo.Environment["DOTNET_ENVIRONMENT"] = "Development";
        startInfo.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        startInfo.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }
        var process = new Process { StartInfo = startInfo };
        var features = new FeaturesProcess(process);
        process.OutputDataReceived += (_, line) => features.Append(line.Data);
        process.ErrorDataReceived += (_, line) => features.Append(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return features;
    }

    public bool HasExited => _process.HasExited;

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

    /// <summary>SIGKILL: no shutdown code runs, nothing is committed on the way out.</summary>
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
