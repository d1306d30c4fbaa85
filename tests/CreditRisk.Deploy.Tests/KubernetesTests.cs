using System.Globalization;
using CreditRisk.Contracts.Topics;

namespace CreditRisk.Deploy.Tests;

/// <summary>
/// deploy/k8s: per service a Deployment (probes on the health endpoints, resources, configuration from the ConfigMap,
/// secrets by reference) and a Service, scoring's autoscaler and disruption budget, consumer replicas within their
/// topics' partitions, and a kustomization that ties every file.
/// </summary>
public sealed class KubernetesTests
{
    private const string Folder = "deploy/k8s";

    private static readonly List<Dictionary<object, object?>> Resources =
        [.. Directory.GetFiles(Repository.PathOf(Folder), "*.yaml").Where(file => Path.GetFileName(file) != "kustomization.yaml")
            .SelectMany(file => Yaml.Documents(Path.GetRelativePath(Repository.Root, file)))];

    public static TheoryData<string> ServiceNames => [.. Repository.Services.Select(service => service.Name)];

    /// <summary>The topics each service consumes in a shared consumer group: its replicas split their partitions.</summary>
    private static readonly Dictionary<string, TopicDefinition[]> SharedConsumption = new()
    {
        ["features"] = [TopicCatalogue.LoanApplications, TopicCatalogue.Transactions, TopicCatalogue.Repayments, TopicCatalogue.LoanOutcomes],
        ["drift"] = [TopicCatalogue.Predictions, TopicCatalogue.LoanOutcomes],
        ["training"] = [TopicCatalogue.LoanOutcomes],
    };

    [Theory]
    [MemberData(nameof(ServiceNames))]
    public void Each_service_has_a_deployment_probed_on_its_health_endpoints_and_a_service_on_its_ports(string name)
    {
        var declared = Repository.Services.Single(service => service.Name == name);
        var deployment = Resource("Deployment", name);
        var container = deployment.Map("spec").Map("template").Map("spec").List("containers").Maps().Single();
        var ports = container.List("ports").Maps().ToDictionary(port => port.Text("name"), port => Number(port, "containerPort"));
        Assert.Equal(declared.HttpPort, ports["http"]);
        Assert.Equal(declared.GrpcPort, ports["grpc"]);
        Assert.Equal("/health/ready", container.Map("readinessProbe").Map("httpGet").Text("path"));
        Assert.Equal("/health/live", container.Map("livenessProbe").Map("httpGet").Text("path"));
        Assert.True(container.Map("resources").Map("requests").ContainsKey("cpu"));
        Assert.True(container.Map("resources").Map("limits").ContainsKey("memory"));
        Assert.Equal("true", deployment.Map("spec").Map("template").Map("spec").Map("securityContext").Text("runAsNonRoot"));
        Assert.Equal("creditrisk-config", container.List("envFrom").Maps().Single().Map("configMapRef").Text("name"));
        var secrets = container.List("env").Maps().Where(variable => variable.ContainsKey("valueFrom")).Select(variable => variable.Text("name")).ToList();
        Assert.Contains("ConnectionStrings__Postgres", secrets);
        Assert.Contains("ApiKeys__platform__Key", secrets);

        var service = Resource("Service", name);
        var servicePorts = service.Map("spec").List("ports").Maps().ToDictionary(port => port.Text("name"), port => Number(port, "port"));
        Assert.Equal(declared.HttpPort, servicePorts["http"]);
        Assert.Equal(declared.GrpcPort, servicePorts["grpc"]);
        Assert.Equal(name, service.Map("spec").Map("selector").Text("app.kubernetes.io/name"));
    }

    [Fact]
    public void The_config_map_holds_the_platforms_settings_and_no_secret()
    {
        var data = Resource("ConfigMap", "creditrisk-config").Map("data");
        foreach (var key in new[] { "Kafka__BootstrapServers", "Redis__Configuration", "OTEL_EXPORTER_OTLP_ENDPOINT", "Services__Registry__Address", "Services__Features__Address" })
        {
            Assert.True(data.ContainsKey(key), key);
        }
        Assert.Equal($"http://registry:{Repository.Services.Single(s => s.Name == "registry").GrpcPort}", data.Text("Services__Registry__Address"));
        Assert.Equal($"http://features:{Repository.Services.Single(s => s.Name == "features").GrpcPort}", data.Text("Services__Features__Address"));
        // Every configuration key a service reads from the map is a section its appsettings.json has.
        var sections = Repository.Services.SelectMany(service => service.Sections).Append("OTEL_EXPORTER_OTLP_ENDPOINT").ToHashSet(StringComparer.Ordinal);
        Assert.All(data.Keys.Cast<string>(), key => Assert.Contains(key.Split("__")[0], sections));
    }

    [Fact]
    public void No_resource_holds_a_secret_value()
    {
        Assert.DoesNotContain(Resources, resource => resource.Text("kind") == "Secret");
        foreach (var (key, value) in Resources.SelectMany(resource => Yaml.Scalars(resource)))
        {
            Assert.DoesNotContain("Password=", value, StringComparison.OrdinalIgnoreCase);
            Assert.False(key.EndsWith("Key", StringComparison.Ordinal) && key != "key" && value.Length > 0 && key.Contains("Api", StringComparison.Ordinal), $"{key}: {value}");
        }
    }

    [Fact]
    public void Scoring_scales_on_cpu_and_keeps_one_replica_through_a_disruption()
    {
        var autoscaler = Resource("HorizontalPodAutoscaler", "scoring").Map("spec");
        Assert.Equal("scoring", autoscaler.Map("scaleTargetRef").Text("name"));
        Assert.Equal("cpu", autoscaler.List("metrics").Maps().Single().Map("resource").Text("name"));
        Assert.True(Number(autoscaler, "minReplicas") >= 2);
        var budget = Resource("PodDisruptionBudget", "scoring").Map("spec");
        Assert.Equal("scoring", budget.Map("selector").Map("matchLabels").Text("app.kubernetes.io/name"));
        Assert.True(Number(budget, "minAvailable") >= 1);
    }

    [Fact]
    public void Consumer_replicas_are_within_their_topics_partitions()
    {
        foreach (var (name, topics) in SharedConsumption)
        {
            var replicas = Number(Resource("Deployment", name).Map("spec"), "replicas");
            Assert.InRange(replicas, 1, topics.Min(topic => topic.Partitions));
        }
    }

    [Fact]
    public void The_kustomization_lists_every_file_of_the_folder()
    {
        var kustomization = Yaml.Document($"{Folder}/kustomization.yaml");
        var listed = kustomization.List("resources").Cast<string>().Order(StringComparer.Ordinal).ToList();
        var files = Directory.GetFiles(Repository.PathOf(Folder), "*.yaml").Select(file => Path.GetFileName(file)).Where(file => file != "kustomization.yaml").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(files, listed);
        var images = kustomization.List("images").Maps().Select(image => image.Text("name")).ToHashSet(StringComparer.Ordinal);
        Assert.All(Repository.Services, service => Assert.Contains($"creditrisk/{service.Name}", images));
    }

    private static Dictionary<object, object?> Resource(string kind, string name) =>
        Resources.SingleOrDefault(resource => resource.Text("kind") == kind && resource.Map("metadata").Text("name") == name)
            ?? throw new KeyNotFoundException($"no {kind} {name} in {Folder}");

    private static int Number(Dictionary<object, object?> map, string key) => int.Parse(map.Text(key), CultureInfo.InvariantCulture);
}
