using System.Diagnostics;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Contracts.Topics;
using CreditRisk.Messaging.Publishing;
using CreditRisk.Messaging.Tests.Support;
using CreditRisk.Testing.Events;
using CreditRisk.Testing.Kafka;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;

namespace CreditRisk.Messaging.Tests;

public sealed class PublishConsumeTests(DevBrokerFixture broker) : IClassFixture<DevBrokerFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Every_event_type_round_trips_through_its_catalogue_topic()
    {
        var recorder = new Recorder();
        var group = "roundtrip-" + Guid.NewGuid().ToString("N");
        await using var host = await EventBusHost.StartAsync(broker.BootstrapServers, bus => bus
                .AddSubscription<LoanApplicationSubmitted, RecordingHandler<LoanApplicationSubmitted>>(o => o.GroupId = group)
                .AddSubscription<TransactionRecorded, RecordingHandler<TransactionRecorded>>(o => o.GroupId = group)
                .AddSubscription<RepaymentRecorded, RecordingHandler<RepaymentRecorded>>(o => o.GroupId = group)
                .AddSubscription<LoanOutcomeRecorded, RecordingHandler<LoanOutcomeRecorded>>(o => o.GroupId = group)
                .AddSubscription<FeatureVectorUpdated, RecordingHandler<FeatureVectorUpdated>>(o => o.GroupId = group)
                .AddSubscription<PredictionLogged, RecordingHandler<PredictionLogged>>(o => o.GroupId = group)
                .AddSubscription<ModelVersionRegistered, RecordingHandler<ModelVersionRegistered>>(o => o.GroupId = group)
                .AddSubscription<ModelVersionPromoted, RecordingHandler<ModelVersionPromoted>>(o => o.GroupId = group)
                .AddSubscription<ServingExperimentChanged, RecordingHandler<ServingExperimentChanged>>(o => o.GroupId = group)
                .AddSubscription<DriftReportPublished, RecordingHandler<DriftReportPublished>>(o => o.GroupId = group)
                .AddSubscription<RetrainRequested, RecordingHandler<RetrainRequested>>(o => o.GroupId = group),
            services => services.AddSingleton(recorder).AddSingleton(new InstanceName("a")));
        var publisher = host.Get<IEventPublisher>();

        foreach (var sample in SampleEvents.All)
        {
            var published = await publisher.PublishAsync(sample, TopicCatalogue.For(sample.Descriptor).Name, TestContext.Current.CancellationToken);
            Assert.Equal(TopicCatalogue.For(sample.Descriptor).Name, published.Topic);
        }

        await Eventually.ThatAsync(() => recorder.Handled.Count >= SampleEvents.All.Count, Deadline, "every event type to be handled");
        foreach (var sample in SampleEvents.All)
        {
            var (received, context, _) = Assert.Single(recorder.Handled, entry => entry.Event.Descriptor == sample.Descriptor);
            Assert.Equal(sample, received);
            Assert.Equal(TopicCatalogue.For(sample.Descriptor).Name, context.Topic);
            Assert.Equal(sample.Envelope.EntityKey, context.Key);
            Assert.Equal(group, context.ConsumerGroup);
            Assert.Equal(1, context.Attempt);
        }
    }

    [Fact]
    public async Task Provisioning_creates_every_catalogue_topic_with_its_partitions()
    {
        await using var host = await EventBusHost.StartAsync(broker.BootstrapServers, _ => { });

        var metadata = broker.Admin.GetMetadata(TimeSpan.FromSeconds(10));
        foreach (var topic in TopicCatalogue.All)
        {
            var created = Assert.Single(metadata.Topics, t => t.Topic == topic.Name);
            Assert.Equal(topic.Partitions, created.Partitions.Count);
        }
    }

    [Fact]
    public async Task Published_record_is_keyed_by_entity_and_carries_type_schema_and_trace_headers()
    {
        await using var host = await EventBusHost.StartAsync(broker.BootstrapServers, _ => { }, provisionTopics: false);
        var topic = TestEvents.UniqueTopic("headers");
        var @event = TestEvents.Transaction("C-7");
        using var listener = ActivityRecorder.Listen(Telemetry.MessagingTelemetry.Name);
        using var parent = new ActivitySource("test").StartActivity("loan system request");

        await host.Get<IEventPublisher>().PublishAsync(@event, topic, TestContext.Current.CancellationToken);

        var record = Assert.Single(TopicReader.ReadUpTo(broker.BootstrapServers, topic, expected: 1, Deadline));
        Assert.Equal("C-7", System.Text.Encoding.UTF8.GetString(record.Message.Key!));
        Assert.Equal("creditrisk.events.v1.TransactionRecorded", record.Header(MessageHeaders.MessageType));
        Assert.Equal("1", record.Header(MessageHeaders.SchemaVersion));
        Assert.Equal("application/x-protobuf", record.Header(MessageHeaders.ContentType));
        Assert.Equal(@event.Envelope.EventId, record.Header(MessageHeaders.EventId));
        Assert.StartsWith($"00-{parent!.TraceId}-", record.Header(MessageHeaders.TraceParent), StringComparison.Ordinal);
        Assert.Equal(@event, TransactionRecorded.Parser.ParseFrom(record.Message.Value));
    }

    [Fact]
    public async Task Publishing_an_event_without_an_event_id_is_refused()
    {
        await using var host = await EventBusHost.StartAsync(broker.BootstrapServers, _ => { }, provisionTopics: false);
        var @event = TestEvents.Transaction("C-1");
        @event.Envelope.EventId = "";

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            host.Get<IEventPublisher>().PublishAsync(@event, TestContext.Current.CancellationToken));
        Assert.Contains("event id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_batch_is_published_under_one_producer_span_and_every_record_arrives_keyed_with_its_headers()
    {
        await using var host = await EventBusHost.StartAsync(broker.BootstrapServers, _ => { }, provisionTopics: false);
        var topic = TestEvents.UniqueTopic("batch");
        var events = Enumerable.Range(0, 300).Select(i => TestEvents.Transaction($"C-{i}")).ToArray();
        using var listener = ActivityRecorder.Listen(Telemetry.MessagingTelemetry.Name);

        await host.Get<IEventPublisher>().PublishBatchAsync(events, topic, TestContext.Current.CancellationToken);

        var send = Assert.Single(listener.Stopped, activity => activity.DisplayName == $"send {topic}");
        Assert.Equal(300, send.GetTagItem(Telemetry.MessagingTelemetry.BatchMessageCountTag));
        var records = TopicReader.ReadUpTo(broker.BootstrapServers, topic, expected: 300, Deadline);
        Assert.Equal(
            events.Select(@event => (@event.Envelope.EntityKey, @event.Envelope.EventId)).Order(),
            records.Select(record => (System.Text.Encoding.UTF8.GetString(record.Message.Key!), record.Header(MessageHeaders.EventId))).Order());
        Assert.All(records, record => Assert.StartsWith($"00-{send.TraceId}-", record.Header(MessageHeaders.TraceParent), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_batch_of_traced_events_carries_each_origins_trace_context_and_its_span_links_them()
    {
        await using var host = await EventBusHost.StartAsync(broker.BootstrapServers, _ => { }, provisionTopics: false);
        var topic = TestEvents.UniqueTopic("traced");
        var origins = Enumerable.Range(0, 3).Select(_ => new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded)).ToArray();
        var events = Enumerable.Range(0, 6).Select(i => new TracedEvent(TestEvents.Transaction($"C-{i}"), i < 5 ? origins[i % 3] : default)).ToArray();
        using var listener = ActivityRecorder.Listen(Telemetry.MessagingTelemetry.Name);

        await host.Get<IEventPublisher>().PublishBatchAsync(events, topic, TestContext.Current.CancellationToken);

        var send = Assert.Single(listener.Stopped, activity => activity.DisplayName == $"send {topic}");
        Assert.Equal(origins.Select(origin => origin.SpanId.ToHexString()).Order(), send.Links.Select(link => link.Context.SpanId.ToHexString()).Order());
        var records = TopicReader.ReadUpTo(broker.BootstrapServers, topic, expected: 6, Deadline).ToDictionary(record => record.Header(MessageHeaders.EventId));
        for (var i = 0; i < events.Length; i++)
        {
            var expected = i < 5 ? $"00-{origins[i % 3].TraceId}-{origins[i % 3].SpanId}-01" : null;
            var header = records[events[i].Event.Envelope.EventId].Header(MessageHeaders.TraceParent);
            if (expected is null) Assert.StartsWith($"00-{send.TraceId}-", header, StringComparison.Ordinal);
            else Assert.Equal(expected, header);
        }
    }

    [Fact]
    public async Task A_batch_of_events_already_in_protobuf_arrives_as_those_events_with_their_keys_and_headers()
    {
        await using var host = await EventBusHost.StartAsync(broker.BootstrapServers, _ => { }, provisionTopics: false);
        var topic = TestEvents.UniqueTopic("encoded-batch");
        var events = Enumerable.Range(0, 50).Select(i => TestEvents.Transaction($"C-{i}")).ToArray();
        var encoded = events.Select(@event => new EncodedEvent(TransactionRecorded.Descriptor, @event.Envelope, @event.ToByteArray())).ToArray();

        await host.Get<IEventPublisher>().PublishBatchAsync(encoded, topic, TestContext.Current.CancellationToken);

        var records = TopicReader.ReadUpTo(broker.BootstrapServers, topic, expected: 50, Deadline);
        Assert.Equal(
            events.Select(@event => (@event.Envelope.EntityKey, @event.Envelope.EventId, TransactionRecorded.Descriptor.FullName, @event)).OrderBy(item => item.EventId),
            records.Select(record => (
                System.Text.Encoding.UTF8.GetString(record.Message.Key!),
                record.Header(MessageHeaders.EventId),
                record.Header(MessageHeaders.MessageType),
                TransactionRecorded.Parser.ParseFrom(record.Message.Value))).OrderBy(item => item.Item2));
    }

    [Fact]
    public async Task An_encoded_batch_holding_an_event_without_an_event_id_is_refused_before_anything_is_published()
    {
        await using var host = await EventBusHost.StartAsync(broker.BootstrapServers, _ => { }, provisionTopics: false);
        var topic = TestEvents.UniqueTopic("bad-encoded-batch");
        var events = Enumerable.Range(0, 3).Select(i => TestEvents.Transaction($"C-{i}")).ToArray();
        events[2].Envelope.EventId = "";
        var encoded = events.Select(@event => new EncodedEvent(TransactionRecorded.Descriptor, @event.Envelope, @event.ToByteArray())).ToArray();

        await Assert.ThrowsAsync<ArgumentException>(() =>
            host.Get<IEventPublisher>().PublishBatchAsync(encoded, topic, TestContext.Current.CancellationToken));

        Assert.DoesNotContain(broker.Admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics, metadata => metadata.Topic == topic);
    }

    [Fact]
    public async Task A_batch_holding_an_event_without_an_event_id_is_refused_before_anything_is_published()
    {
        await using var host = await EventBusHost.StartAsync(broker.BootstrapServers, _ => { }, provisionTopics: false);
        var topic = TestEvents.UniqueTopic("bad-batch");
        var events = Enumerable.Range(0, 3).Select(i => TestEvents.Transaction($"C-{i}")).ToArray();
        events[2].Envelope.EventId = "";

        await Assert.ThrowsAsync<ArgumentException>(() =>
            host.Get<IEventPublisher>().PublishBatchAsync(events, topic, TestContext.Current.CancellationToken));

        // Producing the first events would have created the topic (the broker creates topics on first use).
        Assert.DoesNotContain(broker.Admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics, metadata => metadata.Topic == topic);
    }
}
