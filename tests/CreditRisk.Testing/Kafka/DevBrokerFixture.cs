using Confluent.Kafka;
using CreditRisk.DevBroker;
using Microsoft.Extensions.Logging;
using Xunit;

namespace CreditRisk.Testing.Kafka;

/// <summary>
/// xunit fixture: one in-process dev broker on a free port with a fresh data folder (deleted on dispose).
/// Use it as a class, collection or assembly fixture; derive and override <see cref="CreateOptions"/> for other broker settings.
/// </summary>
public class DevBrokerFixture : IAsyncLifetime
{
    private InProcessDevBroker? broker;
    private IAdminClient? admin;

    public InProcessDevBroker Broker => broker ?? throw new InvalidOperationException("The broker fixture is not initialized.");

    /// <summary>"127.0.0.1:PORT" of the running broker.</summary>
    public string BootstrapServers => Broker.BootstrapServers;

    public string DataDirectory => Broker.DataDirectory;

    /// <summary>A shared admin client for the fixture's broker (created on first use, disposed with the fixture).</summary>
    public IAdminClient Admin => admin ??= new AdminClientBuilder(AdminConfig()).Build();

    public virtual async ValueTask InitializeAsync()
    {
        broker = await InProcessDevBroker.StartAsync(CreateOptions, loggerFactory: CreateLoggerFactory());
    }

    public virtual async ValueTask DisposeAsync()
    {
        admin?.Dispose();
        admin = null;
        if (broker is not null)
        {
            await broker.DisposeAsync();
            broker = null;
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>The broker's options; the default is port 0 (a free port) and the broker's defaults otherwise.</summary>
    protected virtual BrokerOptions CreateOptions(string dataDirectory) => new() { DataDirectory = dataDirectory, Port = 0 };

    /// <summary>Logging for the broker; none by default.</summary>
    protected virtual ILoggerFactory? CreateLoggerFactory() => null;

    /// <summary>Creates a topic with <paramref name="partitions"/> partitions (and optional topic configs) and waits until it is usable.</summary>
    public Task CreateTopicAsync(string topic, int partitions = 1, IReadOnlyDictionary<string, string>? configs = null)
        => Admin.CreateTopicAsync(topic, partitions, configs);

    /// <summary>Creates a topic with a unique name derived from <paramref name="prefix"/> and returns the name.</summary>
    public async Task<string> CreateUniqueTopicAsync(string prefix, int partitions = 1, IReadOnlyDictionary<string, string>? configs = null)
    {
        var topic = TopicNames.Unique(prefix);
        await CreateTopicAsync(topic, partitions, configs);
        return topic;
    }

    public ProducerConfig ProducerConfig() => KafkaTestConfigs.Producer(BootstrapServers);

    public ConsumerConfig ConsumerConfig(string groupId) => KafkaTestConfigs.Consumer(BootstrapServers, groupId);

    public AdminClientConfig AdminConfig() => KafkaTestConfigs.Admin(BootstrapServers);

    public IProducer<TKey, TValue> CreateProducer<TKey, TValue>(Action<ProducerConfig>? configure = null)
    {
        var config = ProducerConfig();
        configure?.Invoke(config);
        return new ProducerBuilder<TKey, TValue>(config).Build();
    }

    public IConsumer<TKey, TValue> CreateConsumer<TKey, TValue>(string groupId, Action<ConsumerConfig>? configure = null)
    {
        var config = ConsumerConfig(groupId);
        configure?.Invoke(config);
        return new ConsumerBuilder<TKey, TValue>(config).Build();
    }
}
