using System.Net;
using CreditRisk.Drift.Service.Csv;
using CreditRisk.Testing.Hosting;

namespace CreditRisk.Drift.Tests;

/// <summary>Without the compare command, Program.cs runs the service host with the service defaults' health endpoints.</summary>
public sealed class DriftHostTests
{
    [Fact]
    public async Task Host_answers_liveness_and_readiness()
    {
        // Any type of the service's assembly names its entry point.
        await using var host = await ServiceHost<CsvTable>.StartAsync(new ServiceHostOptions());
        using var client = host.CreateHttpClient();
        var live = await client.GetAsync("/health/live", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        var ready = await client.GetAsync("/health/ready", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }
}
