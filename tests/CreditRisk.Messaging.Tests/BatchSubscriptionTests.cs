using Confluent.Kafka;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Messaging.Publishing;
using CreditRisk.Messaging.Serialization;
using CreditRisk.Messaging.Tests.Support;
using CreditRisk.Testing.Kafka;
using Microsoft.Extensions.DependencyInjection;

namespace CreditRisk.Messaging.Tests;

/// <summary>Batch subscriptions: every record handled once and in order, rejections and failures dead-lettered, offsets only after.</summary>
public sealed class BatchSubscriptionTests(DevBrokerFixture broker) : IClassFixture<DevBrokerFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private async Task<EventBusHost> StartAsync(string topic, Recorder recorder, BatchRecordingHandler.Settings settings, string? group = null, bool createTopics = true)
    {
        if (createTopics)
        {
            await broker.CreateTopicAsync(topic);
            await broker.CreateTopicAsync(topic + ".dlq");
        }
        return await EventBusHost.StartAsync(
            broker.BootstrapServers,
            bus => bus.AddBatchSubscription<TransactionRecorded, BatchRecordingHandler>(o =>
            {
                o.Subscription.Topic = topic;
                o.GroupId = group ?? "batches-" + Guid.NewGuid().ToString("N");
                o.Subscription.InitialRetryDelay = TimeSpan.FromMilliseconds(10);
                o.MaxBatchSize = 20;
                o.MaxBatchWait = TimeSpan.FromMilliseconds(200);
            }),
            services => services.AddSingleton(recorder).AddSingleton(settings),
            provisionTopics: false);
    }

    private static async Task PublishAsync(EventBusHost host, string topic, IEnumerable<TransactionRecorded> events) =>
        await Task.WhenAll(events.Select(@event => host.Get<IEventPublisher>().PublishAsync(@event, topic, TestContext.Current.CancellationToken)));

    [Fact]
    public async Task Records_are_handled_once_in_order_in_batches_of_at_most_the_maximum()
    {
        var topic = TestEvents.UniqueTopic("batches");
        var recorder = new Recorder();
        var settings = new BatchRecordingHandler.Settings();
        await using var host = await StartAsync(topic, recorder, settings);
        var events = Enumerable.Range(0, 100).Select(i => TestEvents.Transaction("C-1", amount: -i)).ToList();

        await PublishAsync(host, topic, events);

        await Eventually.ThatAsync(() => recorder.Handled.Count == 100, Deadline, "100 records handled");
        Assert.Equal(events, recorder.Events<TransactionRecorded>());
        Assert.All(settings.Sizes, size => Assert.InRange(size, 1, 20));
        Assert.Contains(settings.Sizes, size => size > 1);
    }

    [Fact]
    public async Task A_rejected_record_and_an_undecodable_one_are_dead_lettered_and_the_rest_handled()
    {
        var topic = TestEvents.UniqueTopic("batch-rejects");
        var recorder = new Recorder();
        await using var host = await StartAsync(topic, recorder, new BatchRecordingHandler.Settings(RejectedAmount: -999));
        var before = TestEvents.Transaction("C-1", amount: -1);
        var rejected = TestEvents.Transaction("C-1", amount: -999);
        var after = TestEvents.Transaction("C-1", amount: -2);

        await host.Get<IEventPublisher>().PublishAsync(before, topic, TestContext.Current.CancellationToken);
        using (var raw = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = broker.BootstrapServers }).Build())
        {
            await raw.ProduceAsync(topic, new Message<byte[]?, byte[]?>
            {
                Key = "C-1"u8.ToArray(),
                Value = [0xFF, 0xFF, 0xFF, 0x0F, 0x42],
                Headers = new Headers { { MessageHeaders.MessageType, "creditrisk.events.v1.TransactionRecorded"u8.ToArray() } },
            }, TestContext.Current.CancellationToken);
        }
        await PublishAsync(host, topic, [rejected, after]);

        await Eventually.ThatAsync(() => recorder.Handled.Count == 2, Deadline, "the two good records");
        Assert.Equal([before, after], recorder.Events<TransactionRecorded>());
        var deadLetters = TopicReader.ReadUpTo(broker.BootstrapServers, topic + ".dlq", expected: 2, Deadline);
        Assert.Equal(2, deadLetters.Count);
        Assert.Equal(typeof(EventDeserializationException).FullName, deadLetters[0].Header(MessageHeaders.DeadLetterExceptionType));
        Assert.Equal(rejected, TransactionRecorded.Parser.ParseFrom(deadLetters[1].Message.Value));
        Assert.Equal("amount -999 is refused", deadLetters[1].Header(MessageHeaders.DeadLetterReason));
    }

    [Fact]
    public async Task A_batch_whose_handler_fails_is_retried_whole_and_nothing_is_lost()
    {
        var topic = TestEvents.UniqueTopic("batch-retry");
        var recorder = new Recorder();
        await using var host = await StartAsync(topic, recorder, new BatchRecordingHandler.Settings(FailuresBeforeSuccess: 2));
        var events = Enumerable.Range(0, 10).Select(i => TestEvents.Transaction("C-1", amount: -i)).ToList();

        await PublishAsync(host, topic, events);

        await Eventually.ThatAsync(() => recorder.Handled.Count == 10, Deadline, "10 records handled");
        Assert.Equal(events, recorder.Events<TransactionRecorded>());
        Assert.Equal(3, recorder.Handled[0].Context.Attempt);
        Assert.Empty(TopicReader.ReadUpTo(broker.BootstrapServers, topic + ".dlq", expected: 1, TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task A_new_instance_in_the_group_resumes_after_the_last_handled_batch()
    {
        var topic = TestEvents.UniqueTopic("batch-resume");
        var group = "batches-" + Guid.NewGuid().ToString("N");
        var first = Enumerable.Range(0, 30).Select(i => TestEvents.Transaction("C-1", amount: -i)).ToList();
        var second = Enumerable.Range(30, 30).Select(i => TestEvents.Transaction("C-1", amount: -i)).ToList();
        await using var producer = await EventBusHost.StartAsync(broker.BootstrapServers, _ => { }, provisionTopics: false);
        var before = new Recorder();
        await using (var host = await StartAsync(topic, before, new BatchRecordingHandler.Settings(), group))
        {
            await PublishAsync(producer, topic, first);
            await Eventually.ThatAsync(() => before.Handled.Count == 30, Deadline, "the first 30 handled");
        }
        await PublishAsync(producer, topic, second);

        var after = new Recorder();
        await using var resumed = await StartAsync(topic, after, new BatchRecordingHandler.Settings(), group, createTopics: false);
        await Eventually.ThatAsync(() => after.Handled.Count == 30, Deadline, "the second 30 handled");
        Assert.Equal(second, after.Events<TransactionRecorded>());
    }
}
