using System.Globalization;
using Aspire.Hosting.ApplicationModel;

// In Aspire's hosting namespace, like its own Add... extensions, so Program.cs needs no using.
namespace Aspire.Hosting;

/// <summary>
/// The platform as the app host's resources: the development broker, then every service on its own ports (those of its
/// appsettings.json), each ready when its /health/ready answers, started after what it calls. Every service gets the
/// local infrastructure's addresses and one API key (environment CREDITRISK_API_KEY, role admin), and exports its
/// telemetry to the dashboard, which Aspire points OTEL_EXPORTER_OTLP_ENDPOINT at.
/// </summary>
public static class PlatformResources
{
    /// <summary>Share of traces the services record: at the loop's 100 applications/s, all of them would keep a core busy in the dashboard.</summary>
    private const string TraceSampleRatio = "0.2";

    public static IDistributedApplicationBuilder AddCreditRiskPlatform(this IDistributedApplicationBuilder builder)
    {
        var root = RepositoryRoot();
        var data = Path.Combine(root, ".data");
        var kafkaPort = Port("KAFKA_PORT", 9092);
        var kafka = $"127.0.0.1:{kafkaPort}";
        var postgres = $"Host=127.0.0.1;Port={Port("POSTGRES_PORT", 5432)};Username=creditrisk;Database=creditrisk";
        var redis = $"127.0.0.1:{Port("REDIS_PORT", 6379)}";
        var apiKey = Environment.GetEnvironmentVariable("CREDITRISK_API_KEY")
            ?? throw new InvalidOperationException("CREDITRISK_API_KEY is not set: tools/run.sh generates one and passes it");

        var broker = builder.AddProject<Projects.CreditRisk_DevBroker>("devbroker")
            .WithArgs("--port", kafkaPort.ToString(CultureInfo.InvariantCulture), "--data", Path.Combine(data, "kafka"));

        // A replicated service listens behind Aspire's proxy on its ports, each replica on a port of its own.
        IResourceBuilder<ProjectResource> Service<TProject>(string name, int httpPort, int replicas = 1) where TProject : IProjectMetadata, new() =>
            builder.AddProject<TProject>(name, options => options.ExcludeLaunchProfile = true)
                .WithHttpEndpoint(port: httpPort, name: "http", isProxied: replicas > 1)
                .WithEndpoint(port: httpPort + 1, scheme: "http", name: "grpc", isProxied: replicas > 1)
                .WithReplicas(replicas)
                .WithHttpHealthCheck("/health/ready", endpointName: "http")
                .WithEnvironment("Kafka__BootstrapServers", kafka)
                .WithEnvironment("ConnectionStrings__Postgres", postgres)
                .WithEnvironment("Redis__Configuration", redis)
                .WithEnvironment("ApiKeys__local__Key", apiKey)
                .WithEnvironment("ApiKeys__local__Roles", "admin")
                .WithEnvironment("Registry__Artifacts__RootPath", Path.Combine(data, "registry-artifacts"))
                .WithEnvironment("Services__Features__Address", "http://127.0.0.1:5021")
                .WithEnvironment("Services__Features__ApiKey", apiKey)
                .WithEnvironment("Services__Registry__Address", "http://127.0.0.1:5031")
                .WithEnvironment("Services__Registry__ApiKey", apiKey)
                // A share of the traces, whole: a sampled root's decision travels with its calls and messages.
                .WithEnvironment("OTEL_TRACES_SAMPLER", "parentbased_traceidratio")
                .WithEnvironment("OTEL_TRACES_SAMPLER_ARG", TraceSampleRatio)
                .WaitForStart(broker);

        Service<Projects.CreditRisk_Ingestion>("ingestion", 5010);
        // Two replicas each of features (one consumer group: the partitions split between them) and scoring (each
        // replica its own promotion consumer group), to show them sharing the load behind one address.
        var features = Service<Projects.CreditRisk_Features>("features", 5020, replicas: 2);
        var registry = Service<Projects.CreditRisk_Registry>("registry", 5030);
        Service<Projects.CreditRisk_Training>("training", 5040).WaitFor(registry).WaitFor(features);
        Service<Projects.CreditRisk_Drift_Service>("drift", 5060).WaitFor(registry);
        // Ready only once a champion is loaded: the loop's first training run gives it one.
        Service<Projects.CreditRisk_Scoring>("scoring", 5050, replicas: 2).WaitFor(registry);
        return builder;
    }

    private static int Port(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : fallback;

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CreditRisk.Services.sln"))) return directory.FullName;
        }
        throw new DirectoryNotFoundException("the app host runs from inside the repository (no CreditRisk.Services.sln above it)");
    }
}
