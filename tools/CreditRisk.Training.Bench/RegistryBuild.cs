using System.Diagnostics;
using CreditRisk.Testing.Processes;

namespace CreditRisk.Training.Bench;

/// <summary>The registry service built from source for the bench (<see cref="RegistryProcess"/> runs it).</summary>
public static class RegistryBuild
{
    public const string ProjectPath = "services/Registry/CreditRisk.Registry.csproj";

    /// <summary><c>dotnet build -c Release -o</c> of the registry project into <paramref name="outputFolder"/>; the path of its dll.</summary>
    public static async Task<string> BuildAsync(string repositoryRoot, string outputFolder, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(DotnetProcess.HostPath())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = repositoryRoot,
        };
        foreach (var argument in new[] { "build", Path.Combine(repositoryRoot, ProjectPath), "-c", "Release", "-o", outputFolder, "-nologo", "-v", "q", "-nodeReuse:false" })
        {
            start.ArgumentList.Add(argument);
        }
        using var build = Process.Start(start)!;
        var stderr = build.StandardError.ReadToEndAsync(cancellationToken);
        var stdout = await build.StandardOutput.ReadToEndAsync(cancellationToken);
        await build.WaitForExitAsync(cancellationToken);
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet build {ProjectPath} exited with {build.ExitCode}:\n{stdout}\n{await stderr}");
        }
        return Path.Combine(outputFolder, RegistryProcess.Dll);
    }
}
