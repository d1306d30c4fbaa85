using System.Net;
using CreditRisk.Drift.Tests.Support;

namespace CreditRisk.Drift.Tests;

/// <summary>Without the compare command, Program.cs runs the monitoring service with the service defaults' health endpoints.</summary>
public sealed class DriftHostTests(DriftEnvironment environment) : IClassFixture<DriftEnvironment>
{
    [Fact]
    public async Task Host_answers_liveness_and_readiness()
    {
        await using var monitor = await environment.StartMonitorAsync(DriftEnvironment.NewModelName());
        using var client = monitor.Host.CreateHttpClient();
        var live = await client.GetAsync("/health/live", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        var ready = await client.GetAsync("/health/ready", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }
}
