using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CreditRisk.DevBroker.Groups;
using CreditRisk.DevBroker.Handlers;
using CreditRisk.DevBroker.Network;
using CreditRisk.DevBroker.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CreditRisk.DevBroker;

/// <summary>
/// A single-node, Kafka-wire-compatible broker for development and tests: topics on local disk, the group
/// coordinator, and the APIs Confluent.Kafka/librdkafka and kcat need. Runs in-process (tests) or from the CLI.
/// </summary>
public sealed class KafkaDevBroker : IAsyncDisposable
{
    private static readonly TimeSpan ConnectionDrainTimeout = TimeSpan.FromSeconds(5);

    private readonly BrokerOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly BrokerIdentity _identity;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<long, Task> _connections = new();
    private LogManager? _logs;
    private GroupCoordinator? _groups;
    private Socket? _listener;
    private Task _acceptLoop = Task.CompletedTask;
    private Task _retentionLoop = Task.CompletedTask;
    private long _connectionCount;
    private int _state; // 0 new, 1 started, 2 stopped

    public KafkaDevBroker(BrokerOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<KafkaDevBroker>();
        _identity = new BrokerIdentity(options.NodeId, AdvertisedHost(options.Host));
    }

    /// <summary>The bound port (the real one when <see cref="BrokerOptions.Port"/> is 0); valid after start.</summary>
    public int Port => _identity.Port;

    public string BootstrapServers => $"{_identity.Host}:{Port.ToString(CultureInfo.InvariantCulture)}";

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            throw new InvalidOperationException("The broker can be started only once.");
        }
        Directory.CreateDirectory(_options.DataDirectory);
        _logs = new LogManager(_options, _loggerFactory);
        _logs.Load();

        // Bind before the coordinator starts so it (and Metadata) advertise the real port.
        var address = await ResolveAsync(_options.Host, cancellationToken);
        _listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(address, _options.Port));
        _listener.Listen(512);
        _identity.Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;

        _groups = new GroupCoordinator(
            new GroupCoordinatorOptions
            {
                DataDirectory = Path.Combine(_options.DataDirectory, "groups"),
                InitialRebalanceDelay = _options.GroupInitialRebalanceDelay,
                FsyncOnCommit = _options.FsyncOnAppend,
            },
            _identity,
            _logs,
            _loggerFactory.CreateLogger<GroupCoordinator>());
        await _groups.StartAsync(cancellationToken);

        var handlers = CreateHandlers(_logs, _groups);
        _acceptLoop = AcceptLoopAsync(_listener, handlers, _stopping.Token);
        _retentionLoop = _logs.RunRetentionAsync(_stopping.Token);
        _logger.LogInformation("Kafka dev broker {NodeId} listening on {Host}:{Port}, data in {DataDirectory}",
            _identity.NodeId, _options.Host, Port, Path.GetFullPath(_options.DataDirectory));
    }

    private ApiHandlerRegistry CreateHandlers(LogManager logs, GroupCoordinator groups)
    {
        var registry = new ApiHandlerRegistry();
        registry.Add(new ApiVersionsHandler(registry));
        registry.Add(new MetadataHandler(logs, _identity));
        registry.Add(new ProduceHandler(logs, _options, _loggerFactory.CreateLogger<ProduceHandler>()));
        registry.Add(new FetchHandler(logs, _options));
        registry.Add(new ListOffsetsHandler(logs));
        registry.Add(new CreateTopicsHandler(logs, _identity));
        registry.Add(new DeleteTopicsHandler(logs));
        registry.Add(new DescribeConfigsHandler(logs, _options, _identity));
        registry.Add(new DeleteRecordsHandler(logs, _loggerFactory.CreateLogger<DeleteRecordsHandler>()));
        registry.Add(new InitProducerIdHandler(new ProducerIdAllocator(_options.DataDirectory)));
        foreach (var handler in groups.CreateHandlers())
        {
            registry.Add(handler);
        }
        return registry;
    }

    private async Task AcceptLoopAsync(Socket listener, ApiHandlerRegistry handlers, CancellationToken cancellationToken)
    {
        var connectionLogger = _loggerFactory.CreateLogger<ClientConnection>();
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                break;
            }
            catch (SocketException e)
            {
                _logger.LogWarning("Accept failed: {Reason}", e.Message);
                continue;
            }
            // Requests are small and latency matters (acks, long-poll wake-ups): no Nagle.
            socket.NoDelay = true;
            var id = Interlocked.Increment(ref _connectionCount);
            var connection = new ClientConnection(socket, id.ToString(CultureInfo.InvariantCulture), handlers, _options, connectionLogger);
            _connections[id] = RunConnectionAsync(id, connection, cancellationToken);
        }
    }

    private async Task RunConnectionAsync(long id, ClientConnection connection, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            await connection.RunAsync(cancellationToken);
        }
        finally
        {
            _connections.TryRemove(id, out _);
        }
    }

    /// <summary>Stops accepting, closes connections, stops the coordinator and closes the logs.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _state, 2) != 1)
        {
            return;
        }
        await _stopping.CancelAsync();
        _listener?.Dispose();
        await _acceptLoop;
        try
        {
            // Connections end at the next read or wait; a handler that ignores cancellation must not block shutdown.
            await Task.WhenAll(_connections.Values).WaitAsync(ConnectionDrainTimeout);
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("{Count} connections did not close within {Timeout}", _connections.Count, ConnectionDrainTimeout);
        }
        await _retentionLoop;
        if (_groups is not null)
        {
            await _groups.DisposeAsync();
        }
        _logs?.Dispose();
        _logger.LogInformation("Kafka dev broker stopped");
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stopping.Dispose();
    }

    private static string AdvertisedHost(string host) =>
        host is "0.0.0.0" or "::" or "*" or "" ? "127.0.0.1" : host;

    private static async Task<IPAddress> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (host is "*" or "")
        {
            return IPAddress.Any;
        }
        if (IPAddress.TryParse(host, out var address))
        {
            return address;
        }
        var addresses = await Dns.GetHostAddressesAsync(host, cancellationToken);
        return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses[0];
    }
}
