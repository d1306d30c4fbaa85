// In the hosting namespace, like AddServiceDefaults, so Program.cs needs no using.
namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The training service's composition root. The host serves the default endpoints (health, metrics)
/// only so far; pipeline runs, their API and the consumers come with the rest of issue 18.
/// </summary>
public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder) => builder;

    public static WebApplication MapApplicationEndpoints(this WebApplication app) => app;
}
