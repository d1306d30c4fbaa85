using CreditRisk.Features.Tests.Support;
using CreditRisk.Messaging.Telemetry;
using CreditRisk.Testing.Kafka;
using CreditRisk.Testing.Postgres;
using CreditRisk.Testing.Redis;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace CreditRisk.Features.Tests;

public sealed class ConsumeErrorTests(DevBrokerFixture broker, PostgresFixture postgres, RedisFixture redis)
    : IClassFixture<DevBrokerFixture>, IClassFixture<PostgresFixture>, IClassFixture<RedisFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Source_topics_that_do_not_exist_yet_are_counted_errors_and_their_events_are_processed_once_they_do()
    {
        var prefix = TopicNames.Unique("not-yet");
        var topics = new TestTopics($"{prefix}.applications", $"{prefix}.transactions", $"{prefix}.repayments", $"{prefix}.late", $"{prefix}.feature-updates");
        var group = "not-yet-" + Guid.NewGuid().ToString("N");
        using var errors = new MetricCollector<long>(null, MessagingTelemetry.Name, "creditrisk.messaging.consume.errors");
        // The topics appear one after another, each read as soon as it is assigned: no event may count as late.
        var settings = FeaturesSettings.For(broker, postgres, redis, topics, group, allowedLateness: TimeSpan.FromDays(365));
        settings["Kafka:Consumer:topic.metadata.refresh.interval.ms"] = "500";
        await using var host = await FeaturesServiceHost.StartAsync(settings);
        var lifetime = host.Get<IHostApplicationLifetime>();

        await Eventually.ThatAsync(() => ErrorsOf(errors, group).Count > 0 || lifetime.ApplicationStopping.IsCancellationRequested, Deadline,
            "the missing source topics to be counted as consume errors");
        Assert.False(lifetime.ApplicationStopping.IsCancellationRequested, "the consume error stopped the host");
        Assert.All(ErrorsOf(errors, group), error => Assert.Equal("UnknownTopicOrPart", error.Tags[MessagingTelemetry.ErrorTypeTag]));
        Assert.Contains(ErrorsOf(errors, group), error => topics.Raw.Contains(error.Tags[MessagingTelemetry.DestinationTag]));

        foreach (var topic in topics.Raw)
        {
            await broker.CreateTopicAsync(topic, partitions: 3);
        }
        await broker.CreateTopicAsync(topics.Late, partitions: 3);
        await broker.CreateTopicAsync(topics.FeatureUpdates, partitions: 3);
        var customers = prefix.Replace('.', '-');
        var events = RawEvents.Mix(customers, customers: 5, eventsPerCustomer: 6, DateTimeOffset.UtcNow, TimeSpan.FromDays(20));
        using (var producer = new RawEventProducer(broker, topics))
        {
            await producer.PublishAsync(events);
        }

        await Eventually.ThatAsync(() => topics.IsDrained(broker, group), Deadline, "the events published once the topics exist to be processed");
        await using var database = postgres.CreateDataSource();
        await using var stored = database.CreateCommand("SELECT DISTINCT event_id FROM feature_store.feature_rows WHERE entity_id LIKE $1 || '%'");
        stored.Parameters.Add(new NpgsqlParameter { Value = customers });
        var storedEventIds = new HashSet<string>();
        await using (var reader = await stored.ExecuteReaderAsync(TestContext.Current.CancellationToken))
        {
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                storedEventIds.Add(reader.GetString(0));
            }
        }
        Assert.All(events, @event => Assert.Contains(@event.Envelope.EventId, storedEventIds));
        Assert.False(lifetime.ApplicationStopping.IsCancellationRequested);
    }

    private static List<CollectedMeasurement<long>> ErrorsOf(MetricCollector<long> errors, string group) =>
        [.. errors.GetMeasurementSnapshot().Where(measurement => Equals(measurement.Tags[MessagingTelemetry.ConsumerGroupTag], group))];
}
