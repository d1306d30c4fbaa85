using System.Diagnostics;
using CreditRisk.Testing.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;

namespace CreditRisk.ServiceDefaults.Tests;

/// <summary>A minimal service built exactly as services are: AddServiceDefaults + MapDefaultEndpoints.</summary>
public sealed class ServiceDefaultsHost : WebTestHost
{
    public const string ServiceName = "servicedefaults-test";

    private readonly WebApplication _app;

    /// <summary>Activities the tracer exported, as an exporter to Jaeger would receive them.</summary>
    public List<Activity> ExportedActivities { get; } = [];

    /// <summary>Flip to make the readiness check fail.</summary>
    public bool DependencyAvailable { get; set; } = true;

    private ServiceDefaultsHost(string environment)
    {
        // ApplicationName must stay an assembly name (hosting startup looks it up); the service name comes
        // from OTEL_SERVICE_NAME, as it does in deployments.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.Configuration["OTEL_SERVICE_NAME"] = ServiceName;
        builder.WebHost.UseTestServer();
        builder.AddServiceDefaults();
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(ExportedActivities));
        builder.Services.AddHealthChecks().AddCheck(
            "dependency",
            () => DependencyAvailable ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("dependency down"),
            [CreditRiskTelemetry.ReadyTag]);

        _app = builder.Build();
        _app.MapGet("/ping", () => "pong");
        _app.MapDefaultEndpoints();
    }

    public override IServiceProvider Services => _app.Services;

    public override TestServer Server => _app.GetTestServer();

    public static async Task<ServiceDefaultsHost> StartAsync(string environment = "Production")
    {
        var host = new ServiceDefaultsHost(environment);
        await host._app.StartAsync();
        return host;
    }

    protected override Task StopHostAsync() => _app.StopAsync();

    protected override ValueTask DisposeApplicationAsync() => _app.DisposeAsync();
}
