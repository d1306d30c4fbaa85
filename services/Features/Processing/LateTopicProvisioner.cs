using Confluent.Kafka;
using Confluent.Kafka.Admin;
using CreditRisk.Messaging;
using Microsoft.Extensions.Options;

namespace CreditRisk.Features.Processing;

/// <summary>
/// Creates the late-events topic when missing (it is the processor's own, not in the catalogue): raw records of
/// every source type, keyed by customer, kept 30 days for inspection and re-ingestion.
/// </summary>
public sealed class LateTopicProvisioner(IOptions<KafkaOptions> kafka, IOptions<FeatureProcessorOptions> options, KafkaClientFactory clients,
    ILogger<LateTopicProvisioner> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!kafka.Value.ProvisionTopics || !options.Value.Enabled)
        {
            return;
        }
        using var admin = clients.BuildAdminClient("late-topic", logger);
        var topic = options.Value.LateTopic;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(10));
                if (metadata.Topics.Any(existing => existing.Topic == topic && existing.Error.Code == ErrorCode.NoError))
                {
                    return;
                }
                await admin.CreateTopicsAsync([new TopicSpecification
                {
                    Name = topic,
                    NumPartitions = 6,
                    ReplicationFactor = -1,
                    Configs = new Dictionary<string, string>
                    {
                        ["cleanup.policy"] = "delete",
                        ["retention.ms"] = ((long)TimeSpan.FromDays(30).TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    },
                }]);
                logger.LogInformation("Created the late-events topic {Topic}", topic);
                return;
            }
            catch (CreateTopicsException exception) when (exception.Results.All(result => result.Error.Code is ErrorCode.NoError or ErrorCode.TopicAlreadyExists))
            {
                return;
            }
            catch (KafkaException exception) when (attempt < 8 && exception is not CreateTopicsException)
            {
                logger.LogWarning("Broker not ready to create {Topic} ({Reason}); retrying", topic, exception.Error.Reason);
                await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt), cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
