using Confluent.Kafka;
using CreditRisk.Messaging.Health;
using CreditRisk.Messaging.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CreditRisk.Messaging;

/// <summary>
/// Builds every Kafka client of the process from <see cref="KafkaOptions"/>, one way: the bootstrap servers, the client
/// id (the application name unless configured), the section's own librdkafka settings (Consumer, Producer, Admin) under
/// what the library sets, and handlers that log librdkafka's messages, report fatal errors to the kafka health check
/// and feed consumer statistics to the lag gauge. Callers add what only they need (assignor, rebalance handlers, acks).
/// </summary>
public sealed class KafkaClientFactory(IOptions<KafkaOptions> options, IHostEnvironment environment, KafkaClientHealth health)
{
    private KafkaOptions Kafka => options.Value;

    public string ClientId => Kafka.ClientId ?? environment.ApplicationName;

    /// <summary>The consumer group of subscriptions that name none.</summary>
    public string DefaultGroupId => Kafka.GroupId ?? environment.ApplicationName;

    /// <summary>
    /// A member of <paramref name="groupId"/> whose offsets are stored only when the caller says (once what it consumed
    /// is done) and committed in the background; a group without a committed offset starts at the earliest record unless
    /// configured otherwise.
    /// </summary>
    public ConsumerConfig ConsumerConfig(string groupId)
    {
        var config = new ConsumerConfig(new Dictionary<string, string>(Kafka.Consumer))
        {
            BootstrapServers = Kafka.BootstrapServers,
            GroupId = groupId,
            ClientId = ClientId,
            EnableAutoCommit = true,
            EnableAutoOffsetStore = false,
            StatisticsIntervalMs = Kafka.StatisticsIntervalMs,
        };
        config.AutoOffsetReset ??= AutoOffsetReset.Earliest;
        return config;
    }

    /// <summary>A consumer of <paramref name="config"/> with the shared handlers; <paramref name="clientName"/> names it in the health check.</summary>
    public ConsumerBuilder<byte[]?, byte[]?> ConsumerBuilder(ConsumerConfig config, string clientName, ILogger logger) =>
        new ConsumerBuilder<byte[]?, byte[]?>(config)
            .SetErrorHandler((_, error) => OnError(clientName, error, logger))
            .SetLogHandler((_, message) => Log(logger, message))
            .SetStatisticsHandler((_, json) => MessagingTelemetry.ConsumerLag.Record(config.GroupId, json));

    public ProducerConfig ProducerConfig() => new(new Dictionary<string, string>(Kafka.Producer))
    {
        BootstrapServers = Kafka.BootstrapServers,
        ClientId = ClientId,
    };

    public IProducer<byte[]?, byte[]?> BuildProducer(ProducerConfig config, string clientName, ILogger logger) =>
        new ProducerBuilder<byte[]?, byte[]?>(config)
            .SetErrorHandler((_, error) => OnError(clientName, error, logger))
            .SetLogHandler((_, message) => Log(logger, message))
            .Build();

    /// <summary>An admin client whose client id is the application's followed by "-<paramref name="purpose"/>".</summary>
    public IAdminClient BuildAdminClient(string purpose, ILogger logger)
    {
        var config = new AdminClientConfig(new Dictionary<string, string>(Kafka.Admin))
        {
            BootstrapServers = Kafka.BootstrapServers,
            ClientId = $"{ClientId}-{purpose}",
        };
        return new AdminClientBuilder(config)
            .SetErrorHandler((_, error) => OnError($"admin {purpose}", error, logger))
            .SetLogHandler((_, message) => Log(logger, message))
            .Build();
    }

    private void OnError(string clientName, Error error, ILogger logger)
    {
        if (error.IsFatal)
        {
            // A fatal error needs a restart: the health check fails liveness until then.
            logger.LogCritical("Kafka {Client} failed fatally: {Code} {Reason}", clientName, error.Code, error.Reason);
            health.ReportFatal(clientName, $"{error.Code}: {error.Reason}");
        }
        else
        {
            logger.LogWarning("Kafka {Client} error (librdkafka retries): {Code} {Reason}", clientName, error.Code, error.Reason);
        }
    }

    private static void Log(ILogger logger, LogMessage message) =>
        logger.Log(ToLogLevel(message.Level), "librdkafka {Facility}: {Message}", message.Facility, message.Message);

    internal static LogLevel ToLogLevel(SyslogLevel level) => level switch
    {
        SyslogLevel.Emergency or SyslogLevel.Alert or SyslogLevel.Critical => LogLevel.Critical,
        SyslogLevel.Error => LogLevel.Error,
        SyslogLevel.Warning => LogLevel.Warning,
        SyslogLevel.Notice or SyslogLevel.Info => LogLevel.Information,
        _ => LogLevel.Debug,
    };
}
