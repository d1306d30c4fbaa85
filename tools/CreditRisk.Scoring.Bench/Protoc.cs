namespace CreditRisk.Scoring.Bench;

/// <summary>The protoc shipped in the Grpc.Tools NuGet package (the highest version in the package folder) and its well-known types.</summary>
public sealed record Protoc(string Executable, string Include)
{
    public static Protoc? Find()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var tools = Path.Combine(packages, "grpc.tools");
        if (!Directory.Exists(tools))
        {
            return null;
        }
        var found = Directory.GetDirectories(tools)
            .Select(version => new Protoc(
                Path.Combine(version, "tools", "linux_x64", "protoc"), Path.Combine(version, "build", "native", "include")))
            .Where(protoc => File.Exists(protoc.Executable))
            .MaxBy(protoc => Version.TryParse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(protoc.Executable)))), out var v) ? v : new Version());
        if (found is not null && !OperatingSystem.IsWindows() && !File.GetUnixFileMode(found.Executable).HasFlag(UnixFileMode.UserExecute))
        {
            // NuGet extracts without the execute bit; Grpc.Tools' own build targets set it the same way.
            File.SetUnixFileMode(found.Executable, File.GetUnixFileMode(found.Executable) | UnixFileMode.UserExecute);
        }
        return found;
    }
}
