using Confluent.Kafka;
using CreditRisk.Messaging.Health;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CreditRisk.Messaging.Publishing;

/// <summary>
/// The process's one Kafka producer (librdkafka producers are thread-safe and batch best when shared):
/// idempotent, acks=all, so a retried send is never stored twice and an ack means it is durable.
/// </summary>
public sealed class KafkaProducerConnection : IDisposable
{
    private readonly Lazy<IProducer<byte[]?, byte[]?>> _producer;
    private readonly ILogger<KafkaProducerConnection> _logger;

    public KafkaProducerConnection(IOptions<KafkaOptions> options, IHostEnvironment environment, KafkaClientHealth health, ILogger<KafkaProducerConnection> logger)
    {
        _logger = logger;
        var kafka = options.Value;
        var config = new ProducerConfig(new Dictionary<string, string>(kafka.Producer))
        {
            BootstrapServers = kafka.BootstrapServers,
            ClientId = kafka.ClientId ?? environment.ApplicationName,
            Acks = Acks.All,
            EnableIdempotence = true,
        };
        config.LingerMs ??= 5;
        // Callers read only a report's status and position; by default librdkafka's reports also copy back every
        // record's key, value, timestamp and headers.
        config.DeliveryReportFields ??= "status";
        _producer = new Lazy<IProducer<byte[]?, byte[]?>>(() => new ProducerBuilder<byte[]?, byte[]?>(config)
            .SetErrorHandler((_, error) =>
            {
                if (error.IsFatal)
                {
                    _logger.LogCritical("Kafka producer failed fatally: {Code} {Reason}", error.Code, error.Reason);
                    health.ReportFatal("producer", $"{error.Code}: {error.Reason}");
                }
                else
                {
                    _logger.LogWarning("Kafka producer error (librdkafka retries): {Code} {Reason}", error.Code, error.Reason);
                }
            })
            .SetLogHandler((_, message) => _logger.Log(ToLogLevel(message.Level), "librdkafka {Facility}: {Message}", message.Facility, message.Message))
            .Build());
    }

    public IProducer<byte[]?, byte[]?> Producer => _producer.Value;

    internal static LogLevel ToLogLevel(SyslogLevel level) => level switch
    {
        SyslogLevel.Emergency or SyslogLevel.Alert or SyslogLevel.Critical => LogLevel.Critical,
        SyslogLevel.Error => LogLevel.Error,
        SyslogLevel.Warning => LogLevel.Warning,
        SyslogLevel.Notice or SyslogLevel.Info => LogLevel.Information,
        _ => LogLevel.Debug,
    };

    public void Dispose()
    {
        if (!_producer.IsValueCreated)
        {
            return;
        }
        // Deliver what is in flight before the process goes; anything left is reported by the caller's tasks.
        _producer.Value.Flush(TimeSpan.FromSeconds(10));
        _producer.Value.Dispose();
    }
}
