using Microsoft.AspNetCore.Builder;

// In the hosting namespace, like AddServiceDefaults, so Program.cs needs no using.
namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The drift service's composition, as every service's: nothing beyond the service defaults yet; the monitoring
/// endpoints (reference profiles, scheduled comparisons of the prediction log) will be registered here.
/// </summary>
public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder) => builder;

    public static WebApplication MapApplicationEndpoints(this WebApplication app) => app;
}
