using System.Text;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Features.Processing;
using CreditRisk.Features.Tests.Support;
using CreditRisk.FeatureStore;
using CreditRisk.Messaging;
using CreditRisk.Testing.Kafka;
using CreditRisk.Testing.Postgres;
using CreditRisk.Testing.Redis;
using CreditRisk.Testing.Telemetry;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Npgsql;

namespace CreditRisk.Features.Tests;

public sealed class ProcessorTests(DevBrokerFixture broker, PostgresFixture postgres, RedisFixture redis)
    : IClassFixture<DevBrokerFixture>, IClassFixture<PostgresFixture>, IClassFixture<RedisFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Replaying_the_topics_twice_leaves_both_stores_identical_and_equal_to_a_recomputation()
    {
        var topics = await TestTopics.CreateAsync(broker, "replay");
        var prefix = "replay-" + Guid.NewGuid().ToString("N")[..8];
        var lateness = TimeSpan.FromDays(365);
        var events = RawEvents.Mix(prefix, customers: 25, eventsPerCustomer: 16, DateTimeOffset.UtcNow, TimeSpan.FromDays(60));
        using (var producer = new RawEventProducer(broker, topics))
        {
            await producer.PublishAsync(events);
        }
        await using var database = postgres.CreateDataSource();
        var customers = events.Select(Recomputation.CustomerOf).Distinct().ToList();
        var applications = events.OfType<LoanApplicationSubmitted>().Select(application => application.ApplicationId).ToList();

        var firstGroup = "replay-1-" + Guid.NewGuid().ToString("N");
        List<string> offlineFirst, onlineFirst;
        // Large batches (split into concurrent lanes) in the first run, small ones in the replay.
        await using (var first = await FeaturesServiceHost.StartAsync(FeaturesSettings.For(broker, postgres, redis, topics, firstGroup, lateness, maxBatchRecords: 1_000)))
        {
            await Eventually.ThatAsync(() => topics.IsDrained(broker, firstGroup), Deadline, "the first run to process every record");
            offlineFirst = await Stores.OfflineRowsAsync(database, prefix);
            onlineFirst = await Stores.OnlineRowsAsync(first.Get<IOnlineStore>(), customers, applications);
            await AssertOnlineEqualsRecomputationAsync(first.Get<IOnlineStore>(), events, lateness);
        }
        // One row per event and customer view of its source, plus the application view's row per application.
        Assert.Equal(events.Count + applications.Count, offlineFirst.Count);

        // A second consumer group reads every topic again from the start.
        var secondGroup = "replay-2-" + Guid.NewGuid().ToString("N");
        await using (var second = await FeaturesServiceHost.StartAsync(FeaturesSettings.For(broker, postgres, redis, topics, secondGroup, lateness, maxBatchRecords: 100)))
        {
            await Eventually.ThatAsync(() => topics.IsDrained(broker, secondGroup), Deadline, "the replay to process every record");
            Assert.Equal(offlineFirst, await Stores.OfflineRowsAsync(database, prefix));
            Assert.Equal(onlineFirst, await Stores.OnlineRowsAsync(second.Get<IOnlineStore>(), customers, applications));
        }
    }

    [Fact]
    public async Task Once_the_input_runs_dry_the_processor_checkpoints_and_commits_without_waiting_for_the_interval()
    {
        var topics = await TestTopics.CreateAsync(broker, "idle");
        var prefix = "idle-" + Guid.NewGuid().ToString("N")[..8];
        var events = RawEvents.Mix(prefix, customers: 5, eventsPerCustomer: 6, DateTimeOffset.UtcNow, TimeSpan.FromDays(20));
        using (var producer = new RawEventProducer(broker, topics))
        {
            await producer.PublishAsync(events);
        }
        var group = "idle-" + Guid.NewGuid().ToString("N");
        var settings = FeaturesSettings.For(broker, postgres, redis, topics, group);
        settings["FeatureProcessor:CheckpointInterval"] = "01:00:00";

        await using var host = await FeaturesServiceHost.StartAsync(settings);

        // Offsets are committed only after a checkpoint: with an hour's interval, only the idle rule makes one.
        await Eventually.ThatAsync(() => topics.IsDrained(broker, group), Deadline, "the records' offsets to be checkpointed and committed");
        await using var database = postgres.CreateDataSource();
        Assert.Equal(events.Count, await Stores.CheckpointedRecordsAsync(database, topics));
    }

    [Fact]
    public async Task A_late_event_within_the_lateness_updates_the_window_and_one_beyond_it_is_counted_and_routed_to_the_late_topic()
    {
        var topics = await TestTopics.CreateAsync(broker, "late");
        using var lateEvents = new MetricCollector<long>(FeatureProcessorTelemetry.LateEvents);
        var customer = "late-" + Guid.NewGuid().ToString("N")[..8];
        var t0 = DateTimeOffset.UtcNow.AddDays(-2);
        await using var host = await FeaturesServiceHost.StartAsync(
            FeaturesSettings.For(broker, postgres, redis, topics, "late-" + Guid.NewGuid().ToString("N"), TimeSpan.FromDays(1)));
        var online = host.Get<IOnlineStore>();
        await using var database = postgres.CreateDataSource();
        using var producer = new RawEventProducer(broker, topics);

        await producer.PublishAsync(RawEvents.Transaction(customer, t0.AddDays(-10), 10));
        await producer.PublishAsync(RawEvents.Transaction(customer, t0, 20));
        await Eventually.ThatAsync(async () => (await TransactionsAsync(online, customer))?.Values["txn_count_30d"].Int64Value == 2,
            Deadline, "the in-order events to be in the window");

        // 12 hours behind the watermark, allowed 1 day: accepted, and the newest vector is restated with it.
        var withinLateness = RawEvents.Transaction(customer, t0.AddHours(-12), 30);
        await producer.PublishAsync(withinLateness);
        await Eventually.ThatAsync(async () => (await TransactionsAsync(online, customer))?.Values["txn_count_30d"].Int64Value == 3,
            Deadline, "the late event to update the window");
        var vector = (await TransactionsAsync(online, customer))!;
        Assert.Equal(60, vector.Values["txn_sum_30d"].DoubleValue);
        Assert.Equal(FeatureTime.Truncate(t0), vector.EventTime);   // still the newest event's time
        var rows = await Stores.OfflineRowsAsync(database, customer);
        Assert.Contains(rows, row => row.Contains(withinLateness.Envelope.EventId + FeatureBatchProcessor.RestatedSuffix, StringComparison.Ordinal));

        // Three days behind: beyond the lateness.
        var tooLate = RawEvents.Transaction(customer, t0.AddDays(-3), 1_000);
        await producer.PublishAsync(tooLate);
        var routed = TopicReader.ReadUpTo(broker.BootstrapServers, topics.Late, expected: 1, Deadline, partitions: 3);
        Assert.Single(routed);
        Assert.Equal(tooLate.Envelope.EventId, routed[0].Parse<TransactionRecorded>().Envelope.EventId);
        Assert.True(routed[0].Message.Headers.TryGetLastBytes(LateEventRouter.ReasonHeader, out var reason));
        Assert.Contains("behind", Encoding.UTF8.GetString(reason), StringComparison.Ordinal);
        Assert.Equal(topics.Transactions, Encoding.UTF8.GetString(routed[0].Message.Headers.GetLastBytes(LateEventRouter.OriginalTopicHeader)));
        await Eventually.ThatAsync(() => lateEvents.Sum(FeatureProcessorTelemetry.TopicTag, topics.Transactions) == 1, Deadline, "the late event to be counted");

        // The windows did not take it.
        Assert.Equal(3, (await TransactionsAsync(online, customer))!.Values["txn_count_30d"].Int64Value);
        Assert.DoesNotContain(await Stores.OfflineRowsAsync(database, customer), row => row.Contains(tooLate.Envelope.EventId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Malformed_records_go_to_the_dead_letter_topic_with_their_reason_and_processing_continues()
    {
        var topics = await TestTopics.CreateAsync(broker, "malformed");
        var customer = "dlq-" + Guid.NewGuid().ToString("N")[..8];
        await using var host = await FeaturesServiceHost.StartAsync(
            FeaturesSettings.For(broker, postgres, redis, topics, "malformed-" + Guid.NewGuid().ToString("N")));
        using var producer = new RawEventProducer(broker, topics);

        await producer.PublishRawAsync(topics.Transactions, customer, [0xFF, 0xFF, 0xFF, 0x01], TransactionRecorded.Descriptor.FullName);
        var withoutCustomer = RawEvents.Transaction(customer, DateTimeOffset.UtcNow, 5);
        withoutCustomer.CustomerId = "";
        await producer.PublishAsync(withoutCustomer);
        await producer.PublishAsync(RawEvents.Transaction(customer, DateTimeOffset.UtcNow, 7));

        await Eventually.ThatAsync(async () => await TransactionsAsync(host.Get<IOnlineStore>(), customer) is not null,
            Deadline, "the valid event after the bad ones to be processed");
        var deadLetters = TopicReader.ReadUpTo(broker.BootstrapServers, topics.Transactions + ".dlq", expected: 2, Deadline);
        Assert.Equal(2, deadLetters.Count);
        var reasons = deadLetters.Select(record => Encoding.UTF8.GetString(record.Message.Headers.GetLastBytes(MessageHeaders.DeadLetterReason))).ToList();
        Assert.Contains(reasons, reason => reason.Contains("not a valid creditrisk.events.v1.TransactionRecorded", StringComparison.Ordinal));
        Assert.Contains(reasons, reason => reason.Contains("customer_id: required", StringComparison.Ordinal));
        Assert.All(deadLetters, record => Assert.Equal(topics.Transactions,
            Encoding.UTF8.GetString(record.Message.Headers.GetLastBytes(MessageHeaders.DeadLetterOriginalTopic))));
    }

    private static Task<FeatureRow?> TransactionsAsync(IOnlineStore online, string customer) =>
        online.GetRowAsync(Stores.Key(Entities.Customer.Name, customer), FeatureRegistry.CustomerTransactionsV1, TestContext.Current.CancellationToken);

    internal static async Task AssertOnlineEqualsRecomputationAsync(IOnlineStore online, IEnumerable<IIntegrationEvent> events, TimeSpan lateness)
    {
        var expected = Recomputation.LatestVectors(events, lateness);
        foreach (var (customer, vectors) in expected)
        {
            foreach (var view in FeatureRegistry.StreamingViews)
            {
                var row = await online.GetRowAsync(Stores.Key(Entities.Customer.Name, customer), view, TestContext.Current.CancellationToken);
                if (!vectors.TryGetValue(view.Name, out var vector))
                {
                    Assert.Null(row);
                    continue;
                }
                Assert.NotNull(row);
                Assert.Equal(vector.EventTime, row.EventTime);
                Assert.Equal($"{customer} {view.Name}: {Stores.Describe(vector.Values)}", $"{customer} {view.Name}: {Stores.Describe(row.Values)}");
            }
        }
    }
}
