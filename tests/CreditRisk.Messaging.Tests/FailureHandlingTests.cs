using Confluent.Kafka;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Messaging.Publishing;
using CreditRisk.Messaging.Serialization;
using CreditRisk.Messaging.Tests.Support;
using CreditRisk.Testing.Kafka;
using Microsoft.Extensions.DependencyInjection;

namespace CreditRisk.Messaging.Tests;

public sealed class FailureHandlingTests(DevBrokerFixture broker) : IClassFixture<DevBrokerFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private async Task<EventBusHost> StartAsync(string topic, Recorder recorder, int failuresBeforeSuccess, int maxRetries)
    {
        // Topics exist before consumers subscribe, as provisioning guarantees for the catalogue's.
        await broker.CreateTopicAsync(topic);
        await broker.CreateTopicAsync(topic + ".dlq");
        return await EventBusHost.StartAsync(
            broker.BootstrapServers,
            bus => bus.AddSubscription<TransactionRecorded, FlakyHandler>(o =>
            {
                o.Topic = topic;
                o.GroupId = "failures-" + Guid.NewGuid().ToString("N");
                o.MaxRetries = maxRetries;
                o.InitialRetryDelay = TimeSpan.FromMilliseconds(10);
            }),
            services => services.AddSingleton(recorder).AddSingleton(new FlakyHandler.Settings(failuresBeforeSuccess)),
            provisionTopics: false);
    }

    [Fact]
    public async Task A_handler_that_fails_twice_then_succeeds_is_retried_and_the_record_handled_once()
    {
        var topic = TestEvents.UniqueTopic("flaky");
        var recorder = new Recorder();
        await using var host = await StartAsync(topic, recorder, failuresBeforeSuccess: 2, maxRetries: 3);
        var @event = TestEvents.Transaction("C-1");
        var marker = TestEvents.Transaction("C-1");

        await host.Get<IEventPublisher>().PublishAsync(@event, topic, TestContext.Current.CancellationToken);
        await host.Get<IEventPublisher>().PublishAsync(marker, topic, TestContext.Current.CancellationToken);

        // The marker comes after the event in the same partition: once it is handled, the event is settled.
        await Eventually.ThatAsync(() => recorder.Events<TransactionRecorded>().Any(e => e.Envelope.EventId == marker.Envelope.EventId), Deadline, "the marker to be handled");
        Assert.Equal(3, recorder.AttemptsFor(@event.Envelope.EventId));
        var handled = Assert.Single(recorder.Handled, entry => entry.Event.Equals(@event));
        Assert.Equal(3, handled.Context.Attempt);
        Assert.Empty(TopicReader.ReadUpTo(broker.BootstrapServers, topic + ".dlq", expected: 1, TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task A_poison_record_goes_to_the_dead_letter_topic_with_its_reason_and_the_next_record_is_handled()
    {
        var topic = TestEvents.UniqueTopic("poison");
        var recorder = new Recorder();
        await using var host = await StartAsync(topic, recorder, failuresBeforeSuccess: 0, maxRetries: 3);
        var garbage = new byte[] { 0xFF, 0xFF, 0xFF, 0x0F, 0x42 };
        using (var raw = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = broker.BootstrapServers }).Build())
        {
            await raw.ProduceAsync(topic, new Message<byte[]?, byte[]?>
            {
                Key = "C-1"u8.ToArray(),
                Value = garbage,
                Headers = new Headers { { MessageHeaders.MessageType, "creditrisk.events.v1.TransactionRecorded"u8.ToArray() } },
            }, TestContext.Current.CancellationToken);
        }
        var next = TestEvents.Transaction("C-1");

        await host.Get<IEventPublisher>().PublishAsync(next, topic, TestContext.Current.CancellationToken);

        await Eventually.ThatAsync(() => recorder.Handled.Count == 1, Deadline, "the record after the poison one to be handled");
        Assert.Equal(next, recorder.Handled[0].Event);
        var deadLetter = Assert.Single(TopicReader.ReadUpTo(broker.BootstrapServers, topic + ".dlq", expected: 1, Deadline));
        Assert.Equal(garbage, deadLetter.Message.Value);
        Assert.Equal("C-1", System.Text.Encoding.UTF8.GetString(deadLetter.Message.Key!));
        Assert.Contains("TransactionRecorded", deadLetter.Header(MessageHeaders.DeadLetterReason), StringComparison.Ordinal);
        Assert.Equal(typeof(EventDeserializationException).FullName, deadLetter.Header(MessageHeaders.DeadLetterExceptionType));
        Assert.Equal(topic, deadLetter.Header(MessageHeaders.DeadLetterOriginalTopic));
        Assert.Equal("0", deadLetter.Header(MessageHeaders.DeadLetterOriginalPartition));
        Assert.Equal("0", deadLetter.Header(MessageHeaders.DeadLetterOriginalOffset));
        Assert.Equal("0", deadLetter.Header(MessageHeaders.DeadLetterAttempts));
    }

    [Fact]
    public async Task A_record_whose_handler_keeps_failing_is_dead_lettered_after_bounded_retries_and_does_not_block_the_partition()
    {
        var topic = TestEvents.UniqueTopic("failing");
        var recorder = new Recorder();
        await using var host = await StartAsync(topic, recorder, failuresBeforeSuccess: int.MaxValue, maxRetries: 2);
        var first = TestEvents.Transaction("C-1");
        var second = TestEvents.Transaction("C-1");

        await host.Get<IEventPublisher>().PublishAsync(first, topic, TestContext.Current.CancellationToken);
        await host.Get<IEventPublisher>().PublishAsync(second, topic, TestContext.Current.CancellationToken);

        // The second record's attempts show the first one no longer holds the partition.
        await Eventually.ThatAsync(() => recorder.AttemptsFor(second.Envelope.EventId) == 3, Deadline, "the second record's three attempts");
        var deadLetters = TopicReader.ReadUpTo(broker.BootstrapServers, topic + ".dlq", expected: 2, Deadline);
        Assert.Equal(2, deadLetters.Count);
        Assert.Equal([first, second], deadLetters.Select(record => TransactionRecorded.Parser.ParseFrom(record.Message.Value)));
        Assert.All(deadLetters, record =>
        {
            Assert.Equal(typeof(TimeoutException).FullName, record.Header(MessageHeaders.DeadLetterExceptionType));
            Assert.Equal("3", record.Header(MessageHeaders.DeadLetterAttempts));
            Assert.Contains("downstream timed out", record.Header(MessageHeaders.DeadLetterReason), StringComparison.Ordinal);
        });
        Assert.Equal(3, recorder.AttemptsFor(first.Envelope.EventId));
        Assert.Empty(recorder.Handled);
    }
}
