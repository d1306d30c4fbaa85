using CreditRisk.ServiceDefaults;
using CreditRisk.ServiceDefaults.ApiKeys;
using CreditRisk.ServiceDefaults.Grpc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

// In the hosting namespace, as in eShop, so that Program.cs needs no extra using.
namespace Microsoft.Extensions.Hosting;

public static class ServiceDefaultsExtensions
{
    /// <summary>
    /// OpenTelemetry (traces, metrics, logs; OTLP export when OTEL_EXPORTER_OTLP_ENDPOINT is set),
    /// liveness/readiness health checks also served as the gRPC health service, standard resilience
    /// for outgoing HTTP/gRPC calls, structured logging, and API keys with roles on every gRPC call
    /// (<see cref="ApiKeyInterceptor"/>).
    /// </summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureStructuredLogging();
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.AddDefaultResilience();
        builder.AddApiKeys();
        return builder;
    }

    private static void ConfigureStructuredLogging(this IHostApplicationBuilder builder)
    {
        // Machines read production logs: one JSON object per line. People read development logs.
        if (!builder.Environment.IsDevelopment())
        {
            builder.Logging.AddJsonConsole(options =>
            {
                options.IncludeScopes = true;
                options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                options.UseUtcTimestamp = true;
            });
        }
    }

    private static void ConfigureOpenTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(
                serviceName: builder.Configuration["OTEL_SERVICE_NAME"] ?? builder.Environment.ApplicationName,
                serviceInstanceId: Environment.MachineName))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(CreditRiskTelemetry.NamePrefix + "*")
                .AddPrometheusExporter())
            .WithTracing(tracing => tracing
                .AddSource(CreditRiskTelemetry.NamePrefix + "*")
                .AddAspNetCoreInstrumentation(options =>
                    // Probes and scrapes every few seconds would drown the real traces.
                    options.Filter = context => !IsInfrastructurePath(context.Request.Path))
                .AddGrpcClientInstrumentation()
                .AddHttpClientInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }
    }

    private static bool IsInfrastructurePath(PathString path) =>
        path.StartsWithSegments(CreditRiskTelemetry.LivenessPath)
        || path.StartsWithSegments(CreditRiskTelemetry.ReadinessPath)
        || path.StartsWithSegments(CreditRiskTelemetry.MetricsPath)
        || path.StartsWithSegments("/grpc.health.v1.Health");

    private static void AddDefaultHealthChecks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [CreditRiskTelemetry.LiveTag]);

        // The gRPC health service reports the same checks as readiness, for gRPC load balancers and probes.
        builder.Services.AddGrpc(options => options.Interceptors.Add<DeadlineInterceptor>());
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddGrpcHealthChecks();
    }

    private static void AddDefaultResilience(this IHostApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
    }

    /// <summary>
    /// Liveness at /health/live, readiness at /health/ready, Prometheus at /metrics and the gRPC
    /// health service — in every environment, since orchestrators probe production too.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(CreditRiskTelemetry.LivenessPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(CreditRiskTelemetry.LiveTag),
        });
        app.MapHealthChecks(CreditRiskTelemetry.ReadinessPath);
        app.MapPrometheusScrapingEndpoint(CreditRiskTelemetry.MetricsPath);
        app.MapGrpcHealthChecksService();
        return app;
    }
}
