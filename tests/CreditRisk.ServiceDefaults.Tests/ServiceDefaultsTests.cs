using System.Diagnostics;
using System.Net;
using Grpc.Health.V1;

namespace CreditRisk.ServiceDefaults.Tests;

public sealed class ServiceDefaultsTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Liveness_and_readiness_answer_healthy_outside_development()
    {
        await using var host = await ServiceDefaultsHost.StartAsync("Production");
        using var client = host.CreateHttpClient();

        var live = await client.GetAsync("/health/live", TestContext.Current.CancellationToken);
        var ready = await client.GetAsync("/health/ready", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("Healthy", await live.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task A_failed_dependency_makes_the_service_unready_but_still_alive()
    {
        await using var host = await ServiceDefaultsHost.StartAsync();
        host.DependencyAvailable = false;
        using var client = host.CreateHttpClient();

        var live = await client.GetAsync("/health/live", TestContext.Current.CancellationToken);
        var ready = await client.GetAsync("/health/ready", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
    }

    [Fact]
    public async Task Grpc_health_service_reports_serving_then_not_serving()
    {
        await using var host = await ServiceDefaultsHost.StartAsync();
        var health = new Health.HealthClient(host.Channel);

        var serving = await health.CheckAsync(new HealthCheckRequest(), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, serving.Status);

        // The gRPC health service publishes check results periodically; poll until it sees the failure.
        host.DependencyAvailable = false;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        HealthCheckResponse response;
        do
        {
            response = await health.CheckAsync(new HealthCheckRequest(), cancellationToken: TestContext.Current.CancellationToken);
        }
        while (response.Status == HealthCheckResponse.Types.ServingStatus.Serving && DateTime.UtcNow < deadline && await Pause());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, response.Status);
    }

    [Fact]
    public async Task A_request_emits_a_server_span_with_the_service_name_and_route()
    {
        await using var host = await ServiceDefaultsHost.StartAsync();
        using var client = host.CreateHttpClient();

        var response = await client.GetAsync("/ping", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var span = await WaitForSpan(host, activity => activity.Kind == ActivityKind.Server && activity.DisplayName.Contains("/ping", StringComparison.Ordinal));
        Assert.NotEqual(default, span.TraceId);
        Assert.Equal(ServiceDefaultsHost.ServiceName, ResourceServiceName(host));
        Assert.Equal(200, span.GetTagItem("http.response.status_code"));
    }

    [Fact]
    public async Task Health_probes_are_not_traced()
    {
        await using var host = await ServiceDefaultsHost.StartAsync();
        using var client = host.CreateHttpClient();

        await client.GetAsync("/health/ready", TestContext.Current.CancellationToken);
        await client.GetAsync("/ping", TestContext.Current.CancellationToken);

        // Once the later /ping span is exported, the earlier probe would have been too.
        await WaitForSpan(host, activity => activity.DisplayName.Contains("/ping", StringComparison.Ordinal));
        Assert.DoesNotContain(Snapshot(host), activity => activity.DisplayName.Contains("/health", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Prometheus_endpoint_exposes_request_metrics()
    {
        await using var host = await ServiceDefaultsHost.StartAsync();
        using var client = host.CreateHttpClient();
        await client.GetAsync("/ping", TestContext.Current.CancellationToken);

        var deadline = DateTime.UtcNow + Deadline;
        string body;
        do
        {
            body = await client.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
        }
        while (!body.Contains("http_server_request_duration", StringComparison.Ordinal) && DateTime.UtcNow < deadline && await Pause());

        Assert.Contains("http_server_request_duration", body, StringComparison.Ordinal);
    }

    private static string? ResourceServiceName(ServiceDefaultsHost host) =>
        host.Server.Services.GetService(typeof(OpenTelemetry.Trace.TracerProvider)) is OpenTelemetry.Trace.TracerProvider provider
            ? OpenTelemetry.ProviderExtensions.GetResource(provider).Attributes.FirstOrDefault(a => a.Key == "service.name").Value as string
            : null;

    private static List<Activity> Snapshot(ServiceDefaultsHost host)
    {
        lock (host.ExportedActivities)
        {
            return [.. host.ExportedActivities];
        }
    }

    private static async Task<Activity> WaitForSpan(ServiceDefaultsHost host, Func<Activity, bool> match)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            var found = Snapshot(host).FirstOrDefault(match);
            if (found is not null)
            {
                return found;
            }
            Assert.True(DateTime.UtcNow < deadline, "no matching span was exported before the deadline");
            await Pause();
        }
    }

    private static async Task<bool> Pause()
    {
        await Task.Delay(50, TestContext.Current.CancellationToken);
        return true;
    }
}
