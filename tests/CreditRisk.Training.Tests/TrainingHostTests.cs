using System.Net;
using CreditRisk.Training.Tests.Support;

namespace CreditRisk.Training.Tests;

public sealed class TrainingHostTests(TrainingFixture training) : IClassFixture<TrainingFixture>
{
    [Fact]
    public async Task Without_a_command_the_service_host_starts_and_is_healthy()
    {
        using var client = training.Service.CreateHttpClient();

        using var live = await client.GetAsync("/health/live", TestContext.Current.CancellationToken);
        using var ready = await client.GetAsync("/health/ready", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }
}
