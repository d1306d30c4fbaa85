using System.Net;
using CreditRisk.Testing.Hosting;
using CreditRisk.Training.Commands;

namespace CreditRisk.Modeling.Tests;

public sealed class TrainingHostTests
{
    [Fact]
    public async Task Without_a_command_the_service_host_starts_and_is_healthy()
    {
        await using var host = await ServiceHost<TrainCsvResult>.StartAsync(new ServiceHostOptions());
        using var client = host.CreateHttpClient();

        using var live = await client.GetAsync("/health/live", TestContext.Current.CancellationToken);
        using var ready = await client.GetAsync("/health/ready", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }
}
