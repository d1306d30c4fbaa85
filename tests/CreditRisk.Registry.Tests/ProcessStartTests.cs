using System.Net;
using System.Net.Sockets;
using CreditRisk.Testing.Hosting;
using CreditRisk.Testing.Kafka;
using CreditRisk.Testing.Postgres;
using CreditRisk.Testing.Processes;

namespace CreditRisk.Registry.Tests;

/// <summary>
/// <see cref="ServiceProcess.StartReadyAsync"/> with a real service: a start whose port is taken by another process
/// (the bind fails, the service exits) is started again, and one that keeps failing gives up with the service's error.
/// </summary>
public sealed class ProcessStartTests(PostgresFixture postgres, DevBrokerFixture broker) : IClassFixture<PostgresFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_start_that_lost_its_port_is_started_again_and_serves()
    {
        using var squatter = TakePort(out var port);
        var starts = new List<ServiceProcess>();

        using var process = await ServiceProcess.StartReadyAsync(RegistryProcess.Dll, Environment(port), async started =>
        {
            if (!starts.Contains(started))
            {
                starts.Add(started);
            }
            // The second start finds the port free: the other process has let it go.
            if (starts.Count > 1)
            {
                squatter.Stop();
            }
            return await AnswersHealthAsync(port);
        }, Deadline, "the registry to answer on its pinned port");

        Assert.Equal(2, starts.Count);
        Assert.Same(starts[1], process);
    }

    [Fact]
    public async Task A_port_that_stays_taken_fails_after_three_starts_with_the_services_error()
    {
        using var squatter = TakePort(out var port);
        var starts = new HashSet<ServiceProcess>();

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => ServiceProcess.StartReadyAsync(
            RegistryProcess.Dll, Environment(port), started => { starts.Add(started); return Task.FromResult(false); }, Deadline, "the registry to start"));

        Assert.Contains("address already in use", failure.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(3, starts.Count);
    }

    /// <summary>A loopback port held by a listener of this process, as another process would hold it.</summary>
    private static TcpListener TakePort(out int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        port = ((IPEndPoint)listener.LocalEndpoint).Port;
        return listener;
    }

    private Dictionary<string, string> Environment(int httpPort) => new()
    {
        ["ConnectionStrings__Postgres"] = postgres.ConnectionString,
        ["Kafka__BootstrapServers"] = broker.BootstrapServers,
        ["Registry__Artifacts__RootPath"] = Path.Combine(Path.GetTempPath(), "registry-tests", Guid.NewGuid().ToString("N")),
        ["ApiKeys__start__Key"] = TestApiKeys.Admin,
        ["ApiKeys__start__Roles"] = "reader",
        // Pinned over the free port the process would get, so the test decides whether it is taken.
        ["Kestrel__Endpoints__Http__Url"] = $"http://127.0.0.1:{httpPort}",
    };

    private static async Task<bool> AnswersHealthAsync(int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            return (await http.GetAsync(new Uri($"http://127.0.0.1:{port}/health/live"))).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }
}
