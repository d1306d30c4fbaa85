using CreditRisk.Contracts.Events.V1;
using CreditRisk.Features.Tests.Support;
using CreditRisk.FeatureStore;
using CreditRisk.Testing;
using CreditRisk.Testing.Kafka;
using CreditRisk.Testing.Postgres;
using CreditRisk.Testing.Processes;
using CreditRisk.Testing.Redis;
using Microsoft.Extensions.Hosting;
using Npgsql;
using StackExchange.Redis;

namespace CreditRisk.Features.Tests;

public sealed class CrashRecoveryTests(DevBrokerFixture broker, PostgresFixture postgres, RedisFixture redis)
    : IClassFixture<DevBrokerFixture>, IClassFixture<PostgresFixture>, IClassFixture<RedisFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    // Lateness wide enough that the order in which the three topics interleave cannot make an event late, so the
    // recomputation the tests compare with is the one right answer whatever the interleaving.
    private static readonly TimeSpan Lateness = TimeSpan.FromDays(3650);

    /// <summary>A test's topics, customers (by prefix), events, the offline rows they make, and consumer group.</summary>
    private sealed record Stream(TestTopics Topics, string Prefix, List<IIntegrationEvent> Events, int ExpectedRows, string Group);

    private async Task<Stream> NewStreamAsync(string name, int eventsPerCustomer, int seed)
    {
        var topics = await TestTopics.CreateAsync(broker, name);
        var prefix = name + "-" + Guid.NewGuid().ToString("N")[..8];
        var events = RawEvents.Mix(prefix, customers: 120, eventsPerCustomer, DateTimeOffset.UtcNow, TimeSpan.FromDays(120), seed);
        // One row per event and customer view, and one more per application (its request-time features).
        var expectedRows = events.Count + events.OfType<LoanApplicationSubmitted>().Count();
        return new Stream(topics, prefix, events, expectedRows, name + "-" + Guid.NewGuid().ToString("N"));
    }

    [Fact]
    public async Task Killing_the_processor_mid_stream_and_restarting_loses_and_double_counts_nothing()
    {
        var (topics, prefix, events, expectedRows, group) = await NewStreamAsync("crash", eventsPerCustomer: 50, seed: 11);
        using (var producer = new RawEventProducer(broker, topics))
        {
            await producer.PublishAsync(events);
        }
        await using var database = postgres.CreateDataSource();
        // Small batches so that the kill lands mid-stream; an hour between commits so that nothing processed by
        // the first process is committed: all of it is redelivered to the second.
        var settings = FeaturesSettings.For(broker, postgres, redis, topics, group, Lateness, maxBatchRecords: 50);
        settings["Kafka:Consumer:auto.commit.interval.ms"] = "3600000";
        var environment = FeaturesSettings.AsEnvironment(settings);

        long rowsAtKill;
        using (var first = StartProcess(environment))
        {
            await Eventually.ThatAsync(async () => await Stores.OfflineRowCountAsync(database, prefix) >= expectedRows / 4,
                Deadline, "the first process to write a quarter of the rows", TimeSpan.FromMilliseconds(20));
            first.Kill();
            rowsAtKill = await Stores.OfflineRowCountAsync(database, prefix);
        }
        Assert.True(rowsAtKill < expectedRows, $"the kill came too late to be mid-stream ({rowsAtKill} of {expectedRows} rows)");

        environment["Kafka__Consumer__auto.commit.interval.ms"] = "200";
        using var second = StartProcess(environment);
        await Eventually.ThatAsync(() => topics.IsDrained(broker, group), Deadline, "the restarted process to process every record");

        await AssertNothingLostOrCountedTwiceAsync(database, prefix, topics, events, expectedRows);
        Assert.False(second.HasExited, second.Output);
    }

    [Fact]
    public async Task A_second_instance_joining_mid_stream_takes_over_half_the_partitions_and_nothing_is_lost_or_counted_twice()
    {
        var (topics, prefix, events, expectedRows, group) = await NewStreamAsync("scale", eventsPerCustomer: 400, seed: 12);
        await using var database = postgres.CreateDataSource();
        // Small batches, so that the rebalance lands while batches are being gathered, applied and written.
        var environment = FeaturesSettings.AsEnvironment(FeaturesSettings.For(broker, postgres, redis, topics, group, Lateness, maxBatchRecords: 50));
        environment["Logging__LogLevel__CreditRisk.Features.Processing"] = "Information";   // to see the revocation
        environment["Kafka__Consumer__heartbeat.interval.ms"] = "200";   // the first instance hears of the join sooner

        using var producer = new RawEventProducer(broker, topics);
        var published = events.Count / 4;
        await producer.PublishAsync(events.Take(published));
        using var first = StartProcess(environment);
        await Eventually.ThatAsync(async () => await Stores.OfflineRowCountAsync(database, prefix) >= published / 2,
            Deadline, "the first instance to be processing", TimeSpan.FromMilliseconds(20));
        using var second = StartProcess(environment);
        // Keep the stream flowing at the first instance's pace until it gives up half of its partitions, then
        // publish the rest.
        while (published < events.Count && !first.Output.Contains("Revoked", StringComparison.Ordinal))
        {
            await producer.PublishAsync(events.Skip(published).Take(100));
            published += Math.Min(100, events.Count - published);
            var behind = published - 200;
            await Eventually.ThatAsync(async () => await Stores.OfflineRowCountAsync(database, prefix) >= behind
                    || first.Output.Contains("Revoked", StringComparison.Ordinal),
                Deadline, "the instances to keep up with the stream", TimeSpan.FromMilliseconds(10));
        }
        Assert.True(published < events.Count, "the first instance gave nothing up while events were still coming");
        await producer.PublishAsync(events.Skip(published));
        await Eventually.ThatAsync(() => topics.IsDrained(broker, group), Deadline, "both instances to process every record");

        await AssertNothingLostOrCountedTwiceAsync(database, prefix, topics, events, expectedRows);
        Assert.False(first.HasExited, first.Output);
        Assert.False(second.HasExited, second.Output);
        Assert.Contains("Assigned", second.Output);
    }

    /// <summary>The features service's real entry point as a separate process, so the test can kill it with SIGKILL.</summary>
    private static ServiceProcess StartProcess(Dictionary<string, string> environment) =>
        ServiceProcess.Start("CreditRisk.Features.dll", environment, Environments.Development);

    private async Task AssertNothingLostOrCountedTwiceAsync(
        NpgsqlDataSource database, string prefix, TestTopics topics, IReadOnlyList<IIntegrationEvent> events, int expectedRows)
    {
        // Exactly one row per event and view, and the checkpoints cover every record...
        Assert.Equal(expectedRows, await Stores.OfflineRowCountAsync(database, prefix));
        Assert.Equal(events.Count, await Stores.CheckpointedRecordsAsync(database, topics));
        // ...and the windows equal a recomputation from the raw events: a double-counted event would show.
        await using var connection = await ConnectionMultiplexer.ConnectAsync(InfrastructureSettings.RedisConfiguration);
        var online = new RedisOnlineStore(connection, new RedisOnlineStoreOptions { KeyPrefix = redis.KeyPrefix });
        await ProcessorTests.AssertOnlineEqualsRecomputationAsync(online, events, Lateness);
    }
}
