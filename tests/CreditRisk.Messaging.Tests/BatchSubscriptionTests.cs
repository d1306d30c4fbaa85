using System.Diagnostics;
using Confluent.Kafka;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Messaging.Consuming;
using CreditRisk.Messaging.Publishing;
using CreditRisk.Messaging.Serialization;
using CreditRisk.Messaging.Telemetry;
using CreditRisk.Messaging.Tests.Support;
using CreditRisk.Testing.Kafka;
using CreditRisk.Testing.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace CreditRisk.Messaging.Tests;

/// <summary>Batch subscriptions: every record handled once and in order, rejections and failures dead-lettered, offsets only after.</summary>
public sealed class BatchSubscriptionTests(DevBrokerFixture broker) : IClassFixture<DevBrokerFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private async Task<EventBusHost> StartAsync(
        string topic, Recorder recorder, BatchRecordingHandler.Settings settings, string? group = null, bool createTopics = true, int partitions = 1)
    {
        if (createTopics)
        {
            await broker.CreateTopicAsync(topic, partitions);
            await broker.CreateTopicAsync(topic + ".dlq");
        }
        return await EventBusHost.StartAsync(
            broker.BootstrapServers,
            bus => bus.AddBatchSubscription<TransactionRecorded, BatchRecordingHandler>(o =>
            {
                o.Topic = topic;
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

    [Fact]
    public async Task Records_of_several_partitions_are_each_handled_once_in_order_per_partition()
    {
        var topic = TestEvents.UniqueTopic("batch-partitions");
        var recorder = new Recorder();
        await using var host = await StartAsync(topic, recorder, new BatchRecordingHandler.Settings(), partitions: 3);
        var events = Enumerable.Range(0, 120).Select(i => TestEvents.Transaction($"C-{i % 6}", amount: -i)).ToList();

        await PublishAsync(host, topic, events);

        await Eventually.ThatAsync(() => recorder.Handled.Count >= 120, Deadline, "120 records handled");
        var handled = recorder.Handled;
        Assert.Equal(120, handled.Count);
        Assert.Equal(120, handled.Select(entry => entry.Event.Envelope.EventId).Distinct().Count());
        Assert.True(handled.Select(entry => entry.Context.Partition).Distinct().Count() > 1, "the keys spread over several partitions");
        foreach (var partition in handled.GroupBy(entry => entry.Context.Partition))
        {
            var offsets = partition.Select(entry => entry.Context.Offset).ToList();
            Assert.Equal(offsets.Order(), offsets);
        }
        foreach (var customer in events.GroupBy(@event => @event.Envelope.EntityKey))
        {
            Assert.Equal(customer, recorder.Events<TransactionRecorded>().Where(@event => @event.Envelope.EntityKey == customer.Key));
        }
    }

    [Fact]
    public async Task A_batch_that_keeps_failing_is_dead_lettered_whole_once_the_retries_are_spent()
    {
        var topic = TestEvents.UniqueTopic("batch-exhausted");
        var recorder = new Recorder();
        await using var host = await StartAsync(topic, recorder, new BatchRecordingHandler.Settings(FailuresBeforeSuccess: int.MaxValue));
        var events = Enumerable.Range(0, 5).Select(i => TestEvents.Transaction("C-1", amount: -i)).ToList();

        await PublishAsync(host, topic, events);

        var deadLetters = TopicReader.ReadUpTo(broker.BootstrapServers, topic + ".dlq", expected: 5, Deadline);
        Assert.Equal(events, deadLetters.Select(record => record.Parse<TransactionRecorded>()));
        Assert.All(deadLetters, record =>
        {
            Assert.Equal(typeof(TimeoutException).FullName, record.Header(MessageHeaders.DeadLetterExceptionType));
            Assert.Equal("the database timed out", record.Header(MessageHeaders.DeadLetterReason));
            Assert.Equal("4", record.Header(MessageHeaders.DeadLetterAttempts));
        });
        Assert.Empty(recorder.Handled);
    }

    [Fact]
    public async Task A_poison_batch_is_dead_lettered_at_once_and_the_other_batches_handled()
    {
        var topic = TestEvents.UniqueTopic("batch-poison");
        var recorder = new Recorder();
        await using var host = await StartAsync(topic, recorder, new BatchRecordingHandler.Settings(PoisonAmount: -3));
        var events = Enumerable.Range(0, 10).Select(i => TestEvents.Transaction("C-1", amount: -i)).ToList();

        await PublishAsync(host, topic, events);

        // Which records share the poison's batch depends on timing; each is either handled or dead-lettered with it.
        List<ConsumeResult<byte[]?, byte[]?>> deadLetters = [];
        await Eventually.ThatAsync(() =>
        {
            deadLetters = TopicReader.ReadAll(broker.BootstrapServers, topic + ".dlq");
            return deadLetters.Count + recorder.Handled.Count >= 10;
        }, Deadline, "every record handled or dead-lettered");
        var deadLettered = deadLetters.Select(record => record.Parse<TransactionRecorded>()).ToList();
        Assert.Contains(events[3], deadLettered);
        Assert.Equal(events, recorder.Events<TransactionRecorded>().Concat(deadLettered).OrderByDescending(@event => @event.Amount));
        Assert.All(deadLetters, record =>
        {
            Assert.Equal(typeof(PoisonEventException).FullName, record.Header(MessageHeaders.DeadLetterExceptionType));
            Assert.Equal("1", record.Header(MessageHeaders.DeadLetterAttempts));
        });
    }

    [Fact]
    public async Task Stopping_mid_batch_stores_none_of_it_and_the_next_instance_handles_it_again()
    {
        var topic = TestEvents.UniqueTopic("batch-stop");
        var group = "batches-" + Guid.NewGuid().ToString("N");
        var events = Enumerable.Range(0, 30).Select(i => TestEvents.Transaction("C-1", amount: -i)).ToList();
        await using var producer = await EventBusHost.StartAsync(broker.BootstrapServers, _ => { }, provisionTopics: false);
        var before = new Recorder();
        var blocking = new BatchRecordingHandler.Settings(BlockedAmount: -20);
        await using (var host = await StartAsync(topic, before, blocking, group))
        {
            await PublishAsync(producer, topic, events);
            await blocking.Blocked.Task.WaitAsync(Deadline, TestContext.Current.CancellationToken);
        }
        Assert.DoesNotContain(events[20], before.Events<TransactionRecorded>());

        var after = new Recorder();
        await using var resumed = await StartAsync(topic, after, new BatchRecordingHandler.Settings(), group, createTopics: false);

        await Eventually.ThatAsync(() => before.Handled.Count + after.Handled.Count >= 30, Deadline, "all 30 handled across the two instances");
        Assert.Contains(events[20], after.Events<TransactionRecorded>());
        Assert.Equal(events, before.Events<TransactionRecorded>().Concat(after.Events<TransactionRecorded>()));
    }

    [Fact]
    public async Task Each_record_continues_its_producer_trace_and_the_batch_span_links_to_them()
    {
        using var spans = ActivityRecorder.Listen(MessagingTelemetry.Name);
        var topic = TestEvents.UniqueTopic("batch-tracing");
        var recorder = new Recorder();
        await using var host = await StartAsync(topic, recorder, new BatchRecordingHandler.Settings());
        var traces = new List<ActivityTraceId>();
        foreach (var @event in Enumerable.Range(0, 3).Select(i => TestEvents.Transaction("C-1", amount: -i)))
        {
            using var request = new ActivitySource("test").StartActivity("loan system request");
            traces.Add(request!.TraceId);
            await host.Get<IEventPublisher>().PublishAsync(@event, topic, TestContext.Current.CancellationToken);
        }

        List<Activity> BatchSpans() =>
            [.. spans.Stopped.Where(span => span.DisplayName == $"process {topic}" && span.Kind == ActivityKind.Consumer)];
        await Eventually.ThatAsync(() => BatchSpans().Sum(span => span.Links.Count()) >= 3, Deadline, "batch spans linking the 3 records");
        var links = BatchSpans().SelectMany(span => span.Links).Select(link => link.Context.SpanId).ToList();
        foreach (var trace in traces)
        {
            var producer = Assert.Single(spans.Stopped, span => span.Kind == ActivityKind.Producer && span.TraceId == trace);
            var record = Assert.Single(spans.Stopped, span => span.Kind == ActivityKind.Consumer && span.TraceId == trace);
            Assert.Equal($"receive {topic}", record.DisplayName);
            Assert.Equal(producer.SpanId, record.ParentSpanId);
            Assert.Contains(record.SpanId, links);
        }
        Assert.All(BatchSpans(), span =>
        {
            Assert.DoesNotContain(span.TraceId, traces);
            Assert.Equal(span.Links.Count(), span.GetTagItem(MessagingTelemetry.BatchMessageCountTag));
        });
    }

    [Fact]
    public async Task Consumed_records_are_counted_and_the_handler_measured_per_batch()
    {
        using var consumed = new MetricCollector<long>(MessagingTelemetry.RecordsConsumed);
        using var retries = new MetricCollector<long>(MessagingTelemetry.HandlerRetries);
        using var deadLettered = new MetricCollector<long>(MessagingTelemetry.DeadLettered);
        using var handled = new MetricCollector<double>(MessagingTelemetry.HandlerDuration);
        const string Destination = MessagingTelemetry.DestinationTag;
        var topic = TestEvents.UniqueTopic("batch-metrics");
        var recorder = new Recorder();
        var settings = new BatchRecordingHandler.Settings(RejectedAmount: -4, FailuresBeforeSuccess: 1);
        await using var host = await StartAsync(topic, recorder, settings);

        await PublishAsync(host, topic, Enumerable.Range(0, 10).Select(i => TestEvents.Transaction("C-1", amount: -i)));

        await Eventually.ThatAsync(
            () => consumed.Sum(Destination, topic) == 9 && deadLettered.Sum(Destination, topic) == 1, Deadline, "9 consumed and 1 dead-lettered");
        Assert.Equal(1, retries.Sum(Destination, topic));
        Assert.Equal(settings.Sizes.Count, handled.Count(Destination, topic));
    }
}
