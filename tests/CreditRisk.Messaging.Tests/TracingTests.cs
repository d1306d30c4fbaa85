using System.Diagnostics;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Messaging.Publishing;
using CreditRisk.Messaging.Telemetry;
using CreditRisk.Messaging.Tests.Support;
using CreditRisk.Testing.Kafka;
using Microsoft.Extensions.DependencyInjection;

namespace CreditRisk.Messaging.Tests;

public sealed class TracingTests(DevBrokerFixture broker) : IClassFixture<DevBrokerFixture>
{
    [Fact]
    public async Task The_consumer_span_continues_the_producer_trace_and_links_to_it()
    {
        using var spans = ActivityRecorder.Listen(MessagingTelemetry.Name);
        var topic = TestEvents.UniqueTopic("tracing");
        var recorder = new Recorder();
        await broker.CreateTopicAsync(topic);
        await using var host = await EventBusHost.StartAsync(
            broker.BootstrapServers,
            bus => bus.AddSubscription<TransactionRecorded, RecordingHandler<TransactionRecorded>>(o => { o.Topic = topic; o.GroupId = "tracing"; }),
            services => services.AddSingleton(recorder).AddSingleton(new InstanceName("a")),
            provisionTopics: false);

        ActivityTraceId traceId;
        using (var request = new ActivitySource("test").StartActivity("loan system request"))
        {
            traceId = request!.TraceId;
            await host.Get<IEventPublisher>().PublishAsync(TestEvents.Transaction("C-1"), topic, TestContext.Current.CancellationToken);
        }

        await Eventually.ThatAsync(
            () => spans.Stopped.Any(span => span.Kind == ActivityKind.Consumer && span.TraceId == traceId),
            TimeSpan.FromSeconds(60), "the consumer span");
        var producer = Assert.Single(spans.Stopped, span => span.Kind == ActivityKind.Producer && span.TraceId == traceId);
        var consumer = Assert.Single(spans.Stopped, span => span.Kind == ActivityKind.Consumer && span.TraceId == traceId);
        Assert.Equal(producer.SpanId, consumer.ParentSpanId);
        Assert.Contains(consumer.Links, link => link.Context.SpanId == producer.SpanId);
        Assert.Equal(topic, consumer.GetTagItem(MessagingTelemetry.DestinationTag));
        Assert.Equal("kafka", producer.GetTagItem(MessagingTelemetry.SystemTag));
        Assert.Equal($"send {topic}", producer.DisplayName);
        Assert.Equal($"process {topic}", consumer.DisplayName);
    }
}
