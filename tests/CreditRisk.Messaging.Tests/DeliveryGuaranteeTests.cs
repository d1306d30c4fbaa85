using Confluent.Kafka;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Messaging.Publishing;
using CreditRisk.Messaging.Tests.Support;
using CreditRisk.Testing.Kafka;
using CreditRisk.Testing.Postgres;
using CreditRisk.Testing.Processes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CreditRisk.Messaging.Tests;

public sealed class DeliveryGuaranteeTests(DevBrokerFixture broker, PostgresFixture postgres)
    : IClassFixture<DevBrokerFixture>, IClassFixture<PostgresFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_consumer_killed_after_handling_but_before_committing_redelivers_and_the_idempotent_effect_stays_single()
    {
        const int count = 40;
        var topic = TestEvents.UniqueTopic("crash");
        await broker.CreateTopicAsync(topic, partitions: 3);
        await using var database = postgres.CreateDataSource();
        await using (var schema = database.CreateCommand("""
            CREATE TABLE IF NOT EXISTS deliveries (event_id text NOT NULL, kafka_offset bigint NOT NULL);
            CREATE TABLE IF NOT EXISTS effects (event_id text PRIMARY KEY, amount double precision NOT NULL);
            """))
        {
            await schema.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }
        await PublishAsync(topic, count);
        var environment = new Dictionary<string, string>
        {
            ["Kafka__BootstrapServers"] = broker.BootstrapServers,
            ["ConnectionStrings__Postgres"] = postgres.ConnectionString,
            ["Subscription__Topic"] = topic,
            ["Subscription__GroupId"] = "crash-" + Guid.NewGuid().ToString("N"),
            // An hour: nothing is committed before the kill, so every handled record is "handled, not committed".
            ["Subscription__CommitIntervalMs"] = "3600000",
        };

        using (var first = DotnetProcess.Start("CreditRisk.Messaging.TestConsumer.dll", environment))
        {
            await Eventually.ThatAsync(async () => await CountAsync(database, "deliveries") == count, Deadline, "the first process to handle every record");
            first.Kill();
        }
        environment["Subscription__CommitIntervalMs"] = "1000";
        using var second = DotnetProcess.Start("CreditRisk.Messaging.TestConsumer.dll", environment);

        await Eventually.ThatAsync(async () => await CountAsync(database, "deliveries") == 2 * count, Deadline, "every record to be redelivered");
        Assert.Equal(count, await CountAsync(database, "effects"));
        Assert.Equal(count, await CountAsync(database, "(SELECT DISTINCT event_id FROM deliveries) AS d"));
    }

    [Fact]
    public async Task Shutdown_commits_the_offsets_of_handled_records()
    {
        const int count = 25;
        var topic = TestEvents.UniqueTopic("shutdown");
        await broker.CreateTopicAsync(topic, partitions: 2);
        var group = "shutdown-" + Guid.NewGuid().ToString("N");
        var recorder = new Recorder();
        var host = await EventBusHost.StartAsync(
            broker.BootstrapServers,
            bus => bus.AddSubscription<TransactionRecorded, RecordingHandler<TransactionRecorded>>(o =>
            {
                o.Topic = topic;
                o.GroupId = group;
                o.AutoCommitIntervalMs = 3_600_000;   // only the shutdown can commit
            }),
            services => services.AddSingleton(recorder).AddSingleton(new InstanceName("a")),
            provisionTopics: false);
        await PublishAsync(topic, count);
        await Eventually.ThatAsync(() => recorder.Handled.Count == count, Deadline, "every record handled");

        await host.DisposeAsync();

        using var reader = new ConsumerBuilder<Ignore, Ignore>(broker.ConsumerConfig(group)).Build();
        var committed = reader.Committed([new TopicPartition(topic, 0), new TopicPartition(topic, 1)], TimeSpan.FromSeconds(10));
        Assert.Equal(count, committed.Sum(partition => Math.Max(partition.Offset.Value, 0)));
    }

    [Fact]
    public async Task Two_instances_of_one_service_share_the_partitions()
    {
        var topic = TestEvents.UniqueTopic("shared");
        await broker.CreateTopicAsync(topic, partitions: 6);
        var group = "shared-" + Guid.NewGuid().ToString("N");
        var recorder = new Recorder();
        void Subscribe(CreditRisk.Messaging.KafkaEventBusBuilder bus) =>
            bus.AddSubscription<TransactionRecorded, RecordingHandler<TransactionRecorded>>(o => { o.Topic = topic; o.GroupId = group; });
        await using var first = await EventBusHost.StartAsync(broker.BootstrapServers, Subscribe,
            services => services.AddSingleton(recorder).AddSingleton(new InstanceName("first")), provisionTopics: false);
        await using var second = await EventBusHost.StartAsync(broker.BootstrapServers, Subscribe,
            services => services.AddSingleton(recorder).AddSingleton(new InstanceName("second")), provisionTopics: false);
        var publisher = first.Get<IEventPublisher>();
        var published = new HashSet<string>();

        // Keep publishing across many keys until the rebalance has settled and both instances handle records.
        await Eventually.ThatAsync(async () =>
        {
            for (var i = 0; i < 12; i++)
            {
                var @event = TestEvents.Transaction($"C-{published.Count}");
                await publisher.PublishAsync(@event, topic, TestContext.Current.CancellationToken);
                published.Add(@event.Envelope.EventId);
            }
            var instances = recorder.Handled.Select(entry => entry.Instance).Distinct().Count();
            return instances == 2;
        }, Deadline, "both instances to handle records", TimeSpan.FromMilliseconds(250));

        await Eventually.ThatAsync(
            () => published.IsSubsetOf(recorder.Handled.Select(entry => entry.Event.Envelope.EventId)),
            Deadline, "every published record to be handled");
        var partitionsByInstance = recorder.Handled
            .GroupBy(entry => entry.Instance)
            .ToDictionary(group => group.Key, group => group.Select(entry => entry.Context.Partition).ToHashSet());
        Assert.Equal(2, partitionsByInstance.Count);
        Assert.All(partitionsByInstance.Values, partitions => Assert.NotEmpty(partitions));
    }

    private async Task PublishAsync(string topic, int count)
    {
        using var producer = new ProducerBuilder<string, byte[]>(broker.ProducerConfig()).Build();
        for (var i = 0; i < count; i++)
        {
            var @event = TestEvents.Transaction($"C-{i % 7}", amount: i);
            await producer.ProduceAsync(topic, new Message<string, byte[]>
            {
                Key = @event.Envelope.EntityKey,
                Value = Google.Protobuf.MessageExtensions.ToByteArray(@event),
                Headers = new Headers { { MessageHeaders.MessageType, System.Text.Encoding.UTF8.GetBytes(TransactionRecorded.Descriptor.FullName) } },
            }, TestContext.Current.CancellationToken);
        }
    }

    private static async Task<long> CountAsync(NpgsqlDataSource database, string from)
    {
        await using var command = database.CreateCommand($"SELECT count(*) FROM {from}");
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }
}
