using System.ComponentModel;
using System.Text.Json;
using CreditRisk.Benchmarking;
using CreditRisk.Testing.Kafka;
using CreditRisk.Testing.Processes;

namespace CreditRisk.Scoring.Tests.Support;

/// <summary>
/// python/oip_client.py under Debian's python3: its message classes and stub are generated at run time from
/// protos/inference/open_inference.proto by python3-grpc-tools into a temporary folder, as a Python team would build
/// its client; it answers with one JSON object. Anything missing fails with what to install, never a skip.
/// </summary>
public static class PythonOipClient
{
    public const string InstallHint = "apt-get install python3 python3-grpcio python3-grpc-tools (deploy/local/infra.sh up clients installs them, as CI does)";

    private const string Proto = "inference/open_inference.proto";

    private static readonly string Script = Path.Combine(AppContext.BaseDirectory, "python", "oip_client.py");
    private static readonly string Protos = Path.Combine(AppContext.BaseDirectory, "protos");
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(1);
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>One input tensor as the script sends it; a null value is a missing one.</summary>
    public sealed record Tensor(string Name, string Datatype, IReadOnlyList<object?> Values);

    /// <summary>What the script calls: the service's h2c address (host:port), the key and its metadata name, the tensors.</summary>
    public sealed record Request(string Address, string ApiKeyHeader, string ApiKey, string ModelName, IReadOnlyList<Tensor> Inputs, string MissingInput);

    /// <summary>Generates the client, runs the script on <paramref name="request"/> and returns the JSON object it printed.</summary>
    public static async Task<JsonElement> RunAsync(Request request, string python = DebianPython.Path)
    {
        using var folder = new TemporaryDirectory("creditrisk-oip-client");
        var generated = Directory.CreateDirectory(Path.Combine(folder.Path, "generated")).FullName;
        await RunPythonAsync(python, ["-m", "grpc_tools.protoc", "-I", Protos, $"--python_out={generated}", $"--grpc_python_out={generated}", Proto],
            $"generating the Python client from {Proto}");
        var requestFile = Path.Combine(folder.Path, "request.json");
        await File.WriteAllTextAsync(requestFile, JsonSerializer.Serialize(request, Json));
        var result = await RunPythonAsync(python, [Script, "--generated", generated, "--request", requestFile], "python/oip_client.py");
        var lastLine = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault()
            ?? throw new InvalidOperationException($"python/oip_client.py printed nothing:\n{result.StandardError}");
        using var printed = JsonDocument.Parse(lastLine);
        return printed.RootElement.Clone();
    }

    private static async Task<ExternalProcess.Result> RunPythonAsync(string python, IEnumerable<string> arguments, string what)
    {
        ExternalProcess.Result result;
        try
        {
            result = await ExternalProcess.RunAsync(python, arguments, standardInput: null, Deadline);
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"{what}: cannot start {python} ({e.Message}); {InstallHint}", e);
        }
        if (result.TimedOut)
        {
            throw new TimeoutException($"{what} did not finish within {Deadline.TotalSeconds:0} s:\n{result.StandardError}");
        }
        if (result.ExitCode != 0)
        {
            // A missing module shows as "No module named 'grpc'" (python3-grpcio) or 'grpc_tools' (python3-grpc-tools).
            throw new InvalidOperationException($"{what} failed with exit code {result.ExitCode}; if a module is missing: {InstallHint}\n{result.StandardError}");
        }
        return result;
    }
}
