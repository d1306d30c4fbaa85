using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace CreditRisk.Benchmarking;

/// <summary>
/// A service hosted in the bench's process as its Program.cs composes it (defaults, the service's own registrations and
/// endpoints), on real Kestrel: HTTP/1 on a free loopback port, gRPC (h2c) on <c>grpcPort</c>.
/// </summary>
public static class BenchService
{
    /// <param name="settings">Configuration over appsettings.json and the environment.</param>
    /// <param name="addApplicationServices">The service's <c>AddApplicationServices</c>.</param>
    /// <param name="mapApplicationEndpoints">The service's <c>MapApplicationEndpoints</c>.</param>
    public static WebApplication Build(
        int grpcPort,
        IEnumerable<KeyValuePair<string, string?>> settings,
        Action<WebApplicationBuilder> addApplicationServices,
        Action<WebApplication> mapApplicationEndpoints,
        string? applicationName = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = applicationName,
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:Http:Url"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["Kestrel:Endpoints:Http:Protocols"] = "Http1",
            ["Kestrel:Endpoints:Grpc:Url"] = $"http://127.0.0.1:{grpcPort}",
            ["Kestrel:Endpoints:Grpc:Protocols"] = "Http2",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults();
        addApplicationServices(builder);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        mapApplicationEndpoints(app);
        return app;
    }
}
