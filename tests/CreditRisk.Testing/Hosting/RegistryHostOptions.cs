using Microsoft.Extensions.Hosting;

namespace CreditRisk.Testing.Hosting;

/// <summary>How a test runs the registry: on its own database, its artifacts in a folder of the test's, its outbox relayed quickly.</summary>
public static class RegistryHostOptions
{
    public static ServiceHostOptions For(string bootstrapServers, string postgresConnectionString, string artifactRoot, int outboxPollMs = 100) => new()
    {
        Environment = Environments.Development,
        BootstrapServers = bootstrapServers,
        PostgresConnectionString = postgresConnectionString,
        Settings = new Dictionary<string, string?>
        {
            ["Kafka:StatisticsIntervalMs"] = "0",
            ["Registry:Artifacts:RootPath"] = artifactRoot,
            ["Registry:Outbox:PollIntervalMs"] = outboxPollMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        },
    };
}
