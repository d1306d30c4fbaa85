namespace CreditRisk.Deploy.Tests;

/// <summary>tye.yaml: the dev broker and every service, with the projects and ports the services declare.</summary>
public sealed class TyeTests
{
    private static readonly List<Dictionary<object, object?>> Services = [.. Yaml.Document("tye.yaml").List("services").Maps()];

    public static TheoryData<string> ServiceNames => [.. Repository.Services.Select(service => service.Name)];

    [Fact]
    public void The_development_broker_runs_from_its_project()
    {
        var broker = Services.Single(service => service.Text("name") == "devbroker");
        Assert.True(File.Exists(Repository.PathOf(broker.Text("project"))));
    }

    [Theory]
    [MemberData(nameof(ServiceNames))]
    public void Each_service_runs_its_project_on_its_ports(string name)
    {
        var declared = Repository.Services.Single(service => service.Name == name);
        var service = Services.Single(candidate => candidate.Text("name") == name);
        Assert.Equal(declared.Project, service.Text("project"));
        var bindings = service.List("bindings").Maps().ToDictionary(binding => binding.Text("name"), binding => int.Parse(binding.Text("port"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(declared.HttpPort, bindings["http"]);
        Assert.Equal(declared.GrpcPort, bindings["grpc"]);
    }

    [Fact]
    public void Every_project_named_exists()
    {
        Assert.All(Services, service => Assert.True(File.Exists(Repository.PathOf(service.Text("project"))), service.Text("project")));
    }
}
