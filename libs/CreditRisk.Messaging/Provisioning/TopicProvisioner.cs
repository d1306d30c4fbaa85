using Confluent.Kafka;
using Confluent.Kafka.Admin;
using CreditRisk.Contracts.Topics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace CreditRisk.Messaging.Provisioning;

/// <summary>
/// Creates the catalogue's topics, and those the service added (<see cref="TopicProvisioningOptions"/>), that do not
/// exist yet, before any subscription starts consuming.
/// Idempotent: existing topics are left as they are. Waits (with backoff) for a broker that is still starting.
/// </summary>
public sealed class TopicProvisioner(
    IOptions<KafkaOptions> options, IOptions<TopicProvisioningOptions> provisioning, KafkaClientFactory clients, ILogger<TopicProvisioner> logger)
    : IHostedService
{
    private static readonly ResiliencePipeline BrokerStartupRetry = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = 8,
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromMilliseconds(250),
            MaxDelay = TimeSpan.FromSeconds(5),
            ShouldHandle = new PredicateBuilder().Handle<KafkaException>(exception => exception is not CreateTopicsException),
        })
        .Build();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.ProvisionTopics)
        {
            return;
        }
        using var admin = clients.BuildAdminClient("provisioner", logger);
        IReadOnlyCollection<TopicDefinition> topics = [.. TopicCatalogue.All.Concat(provisioning.Value.Topics).DistinctBy(topic => topic.Name)];
        var created = await BrokerStartupRetry.ExecuteAsync(
            async token => await EnsureTopicsAsync(admin, topics, token), cancellationToken);
        logger.LogInformation("Topics provisioned: {Created} created, {Existing} already there",
            created, topics.Count - created);
    }

    /// <summary>Creates the missing ones of <paramref name="topics"/>; returns how many it created.</summary>
    public static async Task<int> EnsureTopicsAsync(IAdminClient admin, IReadOnlyCollection<TopicDefinition> topics, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var metadata = admin.GetMetadata(TimeSpan.FromSeconds(10));
        var existing = metadata.Topics.Where(topic => topic.Error.Code == ErrorCode.NoError).Select(topic => topic.Topic).ToHashSet();
        var missing = topics.Where(topic => !existing.Contains(topic.Name)).ToList();
        if (missing.Count == 0)
        {
            return 0;
        }
        try
        {
            await admin.CreateTopicsAsync(missing.Select(topic => new TopicSpecification
            {
                Name = topic.Name,
                NumPartitions = topic.Partitions,
                ReplicationFactor = -1,   // the cluster's default.replication.factor
                Configs = topic.Configs.ToDictionary(),
            }));
            return missing.Count;
        }
        catch (CreateTopicsException exception)
        {
            // Another instance may have created some of them a moment ago: that is the goal reached.
            var failures = exception.Results.Where(result => result.Error.Code is not ErrorCode.NoError and not ErrorCode.TopicAlreadyExists).ToList();
            if (failures.Count > 0)
            {
                throw new InvalidOperationException(
                    "Could not create topics: " + string.Join("; ", failures.Select(result => $"{result.Topic}: {result.Error.Reason}")), exception);
            }
            return exception.Results.Count(result => result.Error.Code == ErrorCode.NoError);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
