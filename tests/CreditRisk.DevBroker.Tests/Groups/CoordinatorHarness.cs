using CreditRisk.DevBroker.Groups;
using CreditRisk.Testing.Kafka;
using Microsoft.Extensions.Logging.Abstractions;

namespace CreditRisk.DevBroker.Tests.Groups;

/// <summary>A <see cref="GroupCoordinator"/> on a temporary folder, driven through <see cref="GroupWireClient"/>; restartable on the same folder.</summary>
internal sealed class CoordinatorHarness : IAsyncDisposable
{
    public const int NodeId = 7;
    public const string Host = "127.0.0.1";
    public const int Port = 19_092;

    private readonly TemporaryDirectory directory = new("group-coordinator");

    private CoordinatorHarness()
    {
    }

    /// <summary>Topic "orders" has 6 partitions, "audit" 2.</summary>
    public FakeTopicDirectory Topics { get; } = new() { ["orders"] = 6, ["audit"] = 2 };

    public GroupCoordinator Coordinator { get; private set; } = null!;

    public GroupWireClient Client { get; private set; } = null!;

    public string DataDirectory => directory.Path;

    public static async Task<CoordinatorHarness> StartAsync(long compactionThresholdBytes = 4 * 1024 * 1024)
    {
        var harness = new CoordinatorHarness();
        await harness.StartCoordinatorAsync(compactionThresholdBytes);
        return harness;
    }

    /// <summary>Disposes the coordinator and starts a new one on the same data folder.</summary>
    public async Task RestartAsync(long compactionThresholdBytes = 4 * 1024 * 1024)
    {
        await Coordinator.DisposeAsync();
        await StartCoordinatorAsync(compactionThresholdBytes);
    }

    public async ValueTask DisposeAsync()
    {
        await Coordinator.DisposeAsync();
        directory.Dispose();
    }

    private async Task StartCoordinatorAsync(long compactionThresholdBytes)
    {
        Coordinator = new GroupCoordinator(
            new GroupCoordinatorOptions
            {
                DataDirectory = directory.Path,
                InitialRebalanceDelay = TimeSpan.FromMilliseconds(100),
                OffsetLogCompactionThresholdBytes = compactionThresholdBytes,
            },
            new BrokerIdentity(NodeId, Host) { Port = Port },
            Topics,
            NullLogger<GroupCoordinator>.Instance);
        await Coordinator.StartAsync(CancellationToken.None);
        Client = new GroupWireClient(Coordinator);
    }
}
