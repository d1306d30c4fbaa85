using System.Globalization;

namespace CreditRisk.Deploy.Tests;

/// <summary>docker-compose.yml: Apache Kafka (KRaft), Redis, PostgreSQL, Jaeger and every service, consistent with the services' own files.</summary>
public sealed class DockerComposeTests
{
    private static readonly Dictionary<object, object?> Compose = Yaml.Document("docker-compose.yml");
    private static readonly Dictionary<object, object?> Services = Compose.Map("services");

    public static TheoryData<string> ServiceNames => [.. Repository.Services.Select(service => service.Name)];

    [Fact]
    public void The_infrastructure_is_kafka_in_kraft_mode_redis_postgres_and_jaeger_with_health_checks()
    {
        var kafka = Services.Map("kafka");
        Assert.StartsWith("apache/kafka:", kafka.Text("image"), StringComparison.Ordinal);
        Assert.Equal("broker,controller", kafka.Map("environment").Text("KAFKA_PROCESS_ROLES"));
        foreach (var name in new[] { "kafka", "redis", "postgres" })
        {
            Assert.True(Services.Map(name).ContainsKey("healthcheck"), $"{name} has no health check");
        }
        Assert.Equal("true", Services.Map("jaeger").Map("environment").Text("COLLECTOR_OTLP_ENABLED"));
    }

    [Theory]
    [MemberData(nameof(ServiceNames))]
    public void Each_service_is_built_from_its_project_with_its_ports_and_environment(string name)
    {
        var declared = Repository.Services.Single(service => service.Name == name);
        var service = Services.Map(name);
        var build = service.Map("build");
        Assert.Equal("deploy/docker/service.Dockerfile", build.Text("dockerfile"));
        var args = build.Map("args");
        Assert.Equal(declared.Project, args.Text("PROJECT"));
        Assert.Equal(declared.Assembly, args.Text("ASSEMBLY"));
        Assert.Equal(declared.HttpPort.ToString(CultureInfo.InvariantCulture), args.Text("HTTP_PORT"));

        var containerPorts = service.List("ports").Cast<string>().Select(mapping => int.Parse(mapping.Split(':')[^1], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal([declared.HttpPort, declared.GrpcPort], containerPorts);

        var environment = service.Map("environment");
        Assert.Equal("kafka:29092", environment.Text("Kafka__BootstrapServers"));
        Assert.Equal("redis:6379", environment.Text("Redis__Configuration"));
        Assert.StartsWith("Host=postgres;", environment.Text("ConnectionStrings__Postgres"), StringComparison.Ordinal);
        Assert.StartsWith("http://jaeger:", environment.Text("OTEL_EXPORTER_OTLP_ENDPOINT"), StringComparison.Ordinal);
        Assert.Equal($"http://registry:{Port("registry", grpc: true)}", environment.Text("Services__Registry__Address"));
        Assert.Equal($"http://features:{Port("features", grpc: true)}", environment.Text("Services__Features__Address"));

        var dependsOn = service.Map("depends_on");
        foreach (var infrastructure in new[] { "kafka", "redis", "postgres" })
        {
            Assert.Equal("service_healthy", dependsOn.Map(infrastructure).Text("condition"));
        }
    }

    [Fact]
    public void Scoring_and_features_publish_a_port_range_so_they_scale()
    {
        foreach (var name in new[] { "scoring", "features" })
        {
            Assert.All(Services.Map(name).List("ports").Cast<string>(), mapping => Assert.Matches(@"^\d+-\d+:\d+$", mapping));
        }
    }

    [Fact]
    public void No_secret_value_is_in_the_file_only_required_variables()
    {
        foreach (var (key, value) in Yaml.Scalars(Compose))
        {
            if (key.Contains("PASSWORD", StringComparison.OrdinalIgnoreCase) || key.EndsWith("ApiKey", StringComparison.Ordinal) || key.EndsWith("__Key", StringComparison.Ordinal))
            {
                Assert.Matches(@"^\$\{[A-Z_]+:\?[^}]*\}$", value);
            }
            if (value.Contains("Password=", StringComparison.Ordinal))
            {
                Assert.Contains("Password=${POSTGRES_PASSWORD:?", value, StringComparison.Ordinal);
            }
        }
    }

    private static int Port(string name, bool grpc) =>
        Repository.Services.Single(service => service.Name == name) is var declared && grpc ? declared.GrpcPort : declared.HttpPort;
}
