using CreditRisk.DevBroker;
using Microsoft.Extensions.Logging;

namespace CreditRisk.Testing.Kafka;

/// <summary>A <see cref="KafkaDevBroker"/> started in this process on a free port, with its own data folder.
/// Disposing stops the broker and deletes the folder unless the folder was supplied by the caller.</summary>
public sealed class InProcessDevBroker : IAsyncDisposable
{
    private readonly TemporaryDirectory? ownedDirectory;

    private InProcessDevBroker(KafkaDevBroker broker, BrokerOptions options, TemporaryDirectory? ownedDirectory)
    {
        Broker = broker;
        Options = options;
        this.ownedDirectory = ownedDirectory;
    }

    public KafkaDevBroker Broker { get; }

    public BrokerOptions Options { get; }

    public string BootstrapServers => Broker.BootstrapServers;

    public int Port => Broker.Port;

    public string DataDirectory => Options.DataDirectory;

    /// <summary>Starts a broker. <paramref name="configure"/> receives the data folder and returns the options
    /// (default: port 0, everything else the broker's defaults). Pass <paramref name="dataDirectory"/> to reuse a folder,
    /// e.g. to restart on the same data; such a folder is not deleted on dispose.</summary>
    public static async Task<InProcessDevBroker> StartAsync(
        Func<string, BrokerOptions>? configure = null,
        string? dataDirectory = null,
        ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default)
    {
        var owned = dataDirectory is null ? new TemporaryDirectory("creditrisk-devbroker") : null;
        var directory = dataDirectory ?? owned!.Path;
        try
        {
            var options = configure?.Invoke(directory) ?? new BrokerOptions { DataDirectory = directory, Port = 0 };
            var broker = new KafkaDevBroker(options, loggerFactory);
            try
            {
                await broker.StartAsync(cancellationToken);
            }
            catch
            {
                await broker.DisposeAsync();
                throw;
            }

            return new InProcessDevBroker(broker, options, owned);
        }
        catch
        {
            owned?.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Broker.StopAsync();
        }
        finally
        {
            await Broker.DisposeAsync();
            ownedDirectory?.Dispose();
        }
    }
}
