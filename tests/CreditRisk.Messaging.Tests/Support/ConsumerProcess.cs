using System.Diagnostics;
using System.Text;

namespace CreditRisk.Messaging.Tests.Support;

/// <summary>The CreditRisk.Messaging.TestConsumer host as a separate process, so a test can kill it with SIGKILL.</summary>
public sealed class ConsumerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ConsumerProcess(Process process) => _process = process;

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

    public static ConsumerProcess Start(IReadOnlyDictionary<string, string> environment)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "CreditRisk.Messaging.TestConsumer.dll");
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(dll);
        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }
        var process = new Process { StartInfo = startInfo };
        var consumer = new ConsumerProcess(process);
        process.OutputDataReceived += (_, line) => consumer.Append(line.Data);
        process.ErrorDataReceived += (_, line) => consumer.Append(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return consumer;
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
