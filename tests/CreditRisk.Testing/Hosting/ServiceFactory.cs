using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace CreditRisk.Testing.Hosting;

/// <summary>
/// Runs the Program.cs of <typeparamref name="TEntryPoint"/>'s assembly with a test's options: on a test server, or
/// with <see cref="ServiceHostOptions.Loopback"/> on Kestrel at <see cref="Loopback"/>.
/// </summary>
internal sealed class ServiceFactory<TEntryPoint> : WebApplicationFactory<TEntryPoint>
    where TEntryPoint : class
{
    private readonly ServiceHostOptions _options;
    private readonly Dictionary<string, string?> _settings;

    public ServiceFactory(ServiceHostOptions options)
    {
        _options = options;
        _settings = new Dictionary<string, string?>(options.EffectiveSettings(), StringComparer.OrdinalIgnoreCase);
        if (options.Loopback)
        {
            Loopback = LoopbackEndpoints.Free();
            foreach (var (name, value) in Loopback.Settings)
            {
                _settings[name] = value;
            }
            // Kestrel binds the service's own "Kestrel" section, so the endpoints keep their protocols (h2c for Grpc).
            UseKestrel();
        }
    }

    /// <summary>Where the service listens when it is on Kestrel; null on the test server.</summary>
    public LoopbackEndpoints? Loopback { get; }

    protected override IHost CreateHost(IHostBuilder builder)
    {
        // Host configuration reaches Program.cs as command-line arguments: it is there while the service composes
        // itself (some registrations depend on settings) and overrides appsettings.json and the environment.
        builder.UseEnvironment(_options.Environment);
        builder.ConfigureHostConfiguration(configuration => configuration.AddInMemoryCollection(_settings));
        return base.CreateHost(builder);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // As arguments every enclosing section became an empty value ("--Registry:ApiKeys:x:Roles="), which code that
        // reads a section's own value takes for a value; this last source says they have none.
        builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(WithEnclosingSections(_settings)));
        if (_options.ConfigureServices is { } configureServices)
        {
            builder.ConfigureTestServices(configureServices);
        }
    }

    private static Dictionary<string, string?> WithEnclosingSections(IReadOnlyDictionary<string, string?> settings)
    {
        var all = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in settings.Keys)
        {
            for (var end = name.IndexOf(':', StringComparison.Ordinal); end > 0; end = name.IndexOf(':', end + 1))
            {
                all.TryAdd(name[..end], null);
            }
        }
        foreach (var (name, value) in settings)
        {
            all[name] = value;
        }
        return all;
    }
}
