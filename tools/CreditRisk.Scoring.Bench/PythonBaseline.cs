using System.Diagnostics;
using CreditRisk.Benchmarking;

namespace CreditRisk.Scoring.Bench;

/// <summary>
/// The Python baseline (python/scoring_baseline.py) as a child process on a free port: protoc writes the scoring
/// contract's descriptor set into a temporary folder, the script trains its scikit-learn model and prints "ready".
/// </summary>
public sealed class PythonBaseline : IAsyncDisposable
{
    private static readonly string Script = Path.Combine(AppContext.BaseDirectory, "python", "scoring_baseline.py");
    private static readonly string Protos = Path.Combine(AppContext.BaseDirectory, "protos");

    private readonly Process _process;
    private readonly string _folder;

    private PythonBaseline(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Address = $"http://127.0.0.1:{port}";
    }

    public string Address { get; }

    /// <summary>The running baseline, or null with the reason written to <paramref name="output"/> (no python, grpcio, scikit-learn or protoc).</summary>
    public static async Task<PythonBaseline?> StartAsync(string python, string csv, TextWriter output, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var protoc = Protoc.Find();
        if (protoc is null)
        {
            output.WriteLine("baseline skipped: no protoc under the NuGet packages' grpc.tools");
            return null;
        }
        var folder = Directory.CreateTempSubdirectory("creditrisk-scoring-baseline-").FullName;
        var descriptors = Path.Combine(folder, "scoring.pb");
        var compile = await RunAsync(protoc.Executable,
            ["-I", Protos, "-I", protoc.Include, "--include_imports", $"--descriptor_set_out={descriptors}", "creditrisk/scoring/v1/scoring_service.proto"],
            cancellationToken);
        if (compile is not null)
        {
            output.WriteLine($"baseline skipped: protoc failed: {compile}");
            Directory.Delete(folder, recursive: true);
            return null;
        }

        var port = FreePort.Next();
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { Script, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--csv", csv, "--descriptors", descriptors })
        {
            start.ArgumentList.Add(argument);
        }
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            output.WriteLine($"baseline skipped: cannot start {python}: {e.Message}");
            Directory.Delete(folder, recursive: true);
            return null;
        }
        var baseline = new PythonBaseline(process, folder, port);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            {
                if (line.StartsWith("ready", StringComparison.Ordinal))
                {
                    return baseline;
                }
            }
            await process.WaitForExitAsync(CancellationToken.None);
            output.WriteLine($"baseline skipped: {python} exited with {process.ExitCode}: {LastLine(await stderr)}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            output.WriteLine($"baseline skipped: not ready within {timeout.TotalSeconds:0} s");
        }
        await baseline.DisposeAsync();
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Null when the program succeeded, else its error output.</summary>
    private static async Task<string?> RunAsync(string program, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode == 0 ? null : LastLine(error);
    }

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
}
