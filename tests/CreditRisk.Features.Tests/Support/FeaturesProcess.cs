using CreditRisk.Testing.Processes;

namespace CreditRisk.Features.Tests.Support;

/// <summary>The features service as a separate process (its real entry point), so a test can kill it with SIGKILL.</summary>
public static class FeaturesProcess
{
    public static DotnetProcess Start(IReadOnlyDictionary<string, string> environment)
    {
        var settings = new Dictionary<string, string>
        {
            // Free ports, so that test runs and a locally running service never collide.
            ["Kestrel__Endpoints__Http__Url"] = "http://127.0.0.1:0",
            ["Kestrel__Endpoints__Grpc__Url"] = "http://127.0.0.1:0",
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (name, value) in environment)
        {
            settings[name] = value;
        }
        return DotnetProcess.Start("CreditRisk.Features.dll", settings);
    }
}
