using System.Text.Json;
using System.Xml.Linq;

namespace CreditRisk.Deploy.Tests;

/// <summary>The repository the tests run in, and each service as its own files declare it.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    /// <summary>Every service under services/: its name, project, assembly and the ports of its appsettings.json.</summary>
    public static IReadOnlyList<ServiceDeclaration> Services { get; } = [.. Directory.GetDirectories(PathOf("services")).Order(StringComparer.Ordinal).Select(Declare)];

    private static ServiceDeclaration Declare(string folder)
    {
        var project = Directory.GetFiles(folder, "*.csproj").Single();
        var assembly = XDocument.Load(project).Descendants("AssemblyName").FirstOrDefault()?.Value ?? Path.GetFileNameWithoutExtension(project);
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "appsettings.json")));
        var endpoints = settings.RootElement.GetProperty("Kestrel").GetProperty("Endpoints");
        return new ServiceDeclaration(
            Path.GetFileName(folder).ToLowerInvariant(),
            Path.GetRelativePath(Root, project).Replace('\\', '/'),
            assembly,
            new Uri(endpoints.GetProperty("Http").GetProperty("Url").GetString()!).Port,
            new Uri(endpoints.GetProperty("Grpc").GetProperty("Url").GetString()!).Port,
            [.. settings.RootElement.EnumerateObject().Select(section => section.Name)]);
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CreditRisk.Services.sln"))) return directory.FullName;
        }
        throw new DirectoryNotFoundException("no CreditRisk.Services.sln above the test's folder");
    }
}

/// <summary>A service as its project and appsettings.json declare it.</summary>
public sealed record ServiceDeclaration(string Name, string Project, string Assembly, int HttpPort, int GrpcPort, IReadOnlyList<string> Sections);
