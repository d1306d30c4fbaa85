namespace CreditRisk.Deploy.Tests;

/// <summary>The services' Dockerfile: built in one stage, run in another as the unprivileged user, health-checked on /health/ready.</summary>
public sealed class DockerfileTests
{
    private static readonly string[] Lines = File.ReadAllLines(Repository.PathOf("deploy/docker/service.Dockerfile"));

    [Fact]
    public void It_builds_with_the_sdk_and_runs_on_the_aspnet_runtime_as_a_non_root_user_with_a_health_check()
    {
        var stages = Lines.Where(line => line.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, stages.Count);
        Assert.Contains("dotnet/sdk:", stages[0], StringComparison.Ordinal);
        Assert.Contains("dotnet/aspnet:", stages[1], StringComparison.Ordinal);
        var runtime = Lines.SkipWhile(line => line != stages[1]).ToList();
        Assert.Contains(runtime, line => line.StartsWith("USER $APP_UID", StringComparison.Ordinal));
        Assert.Contains(runtime, line => line.StartsWith("HEALTHCHECK", StringComparison.Ordinal));
        Assert.Contains(runtime, line => line.Contains("/health/ready", StringComparison.Ordinal));
    }
}
