using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CreditRisk.Testing.Hosting;

/// <summary>How a test runs a service: where its infrastructure is, its own settings, and services it replaces.</summary>
public sealed record ServiceHostOptions
{
    public string Environment { get; init; } = Environments.Production;

    /// <summary>Kafka:BootstrapServers; a dead address makes every publish fail.</summary>
    public string? BootstrapServers { get; init; }

    /// <summary>ConnectionStrings:Postgres, e.g. a <see cref="Postgres.PostgresFixture"/>'s own database.</summary>
    public string? PostgresConnectionString { get; init; }

    /// <summary>Configuration over everything else (appsettings.json, the environment), as "Section:Key" names.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>
    /// Serve on real loopback sockets instead of the in-process test server: Kestrel on the service's own endpoints
    /// (<see cref="LoopbackEndpoints"/>), for clients outside this process such as a Python one.
    /// </summary>
    public bool Loopback { get; init; }

    /// <summary>Runs after the service registered its own services, so a registration here replaces one of them.</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }

    /// <summary>
    /// The settings the service gets: quiet logging, the test Redis, the API keys of <see cref="TestApiKeys"/>, the broker
    /// and database, then <see cref="Settings"/>.
    /// </summary>
    public IReadOnlyDictionary<string, string?> EffectiveSettings()
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Redis:Configuration"] = InfrastructureSettings.RedisConfiguration,
        };
        foreach (var (name, value) in TestApiKeys.Configuration())
        {
            settings[name] = value;
        }
        if (BootstrapServers is not null)
        {
            settings["Kafka:BootstrapServers"] = BootstrapServers;
        }
        if (PostgresConnectionString is not null)
        {
            settings["ConnectionStrings:Postgres"] = PostgresConnectionString;
        }
        foreach (var (name, value) in Settings)
        {
            settings[name] = value;
        }
        return settings;
    }
}
