using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using CreditRisk.Features.Tests.Support;
using CreditRisk.Messaging;
using CreditRisk.Messaging.Telemetry;
using CreditRisk.Testing.Kafka;
using CreditRisk.Testing.Postgres;
using CreditRisk.Testing.Redis;
using Google.Protobuf;

namespace CreditRisk.Features.Tests;

/// <summary>An application's trace goes on into the features processor: a receive span per record, parented on the producer's.</summary>
public sealed class TracingTests(DevBrokerFixture broker, PostgresFixture postgres, RedisFixture redis)
    : IClassFixture<DevBrokerFixture>, IClassFixture<PostgresFixture>, IClassFixture<RedisFixture>
{
    [Fact]
    public async Task A_records_producer_trace_continues_into_the_processor_and_the_batch_span_links_it()
    {
        var topics = await TestTopics.CreateAsync(broker, "tracing");
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == MessagingTelemetry.Name || source.Name == CreditRisk.Features.Processing.FeatureProcessorTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var producerSpan = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        var application = RawEvents.Application($"trace-{Guid.NewGuid():N}"[..16], $"app-{Guid.NewGuid():N}", DateTimeOffset.UtcNow);
        var headers = new Headers { { MessageHeaders.MessageType, Encoding.UTF8.GetBytes(CreditRisk.Contracts.Events.V1.LoanApplicationSubmitted.Descriptor.FullName) } };
        TraceContextPropagation.Inject(producerSpan, headers);
        using (var producer = new ProducerBuilder<byte[], byte[]>(broker.ProducerConfig()).Build())
        {
            await producer.ProduceAsync(topics.Applications, new Message<byte[], byte[]>
            {
                Key = Encoding.UTF8.GetBytes(application.Envelope.EntityKey), Value = application.ToByteArray(), Headers = headers,
            }, TestContext.Current.CancellationToken);
        }

        var group = "tracing-" + Guid.NewGuid().ToString("N");
        await using var host = await FeaturesServiceHost.StartAsync(FeaturesSettings.For(broker, postgres, redis, topics, group));
        Activity? received = null;
        await Eventually.ThatAsync(() => (received = stopped.FirstOrDefault(span => span.DisplayName == $"receive {topics.Applications}")) is not null,
            TimeSpan.FromSeconds(60), "the record's receive span");
        Assert.Equal(producerSpan.TraceId, received!.TraceId);
        Assert.Equal(producerSpan.SpanId, received.ParentSpanId);
        await Eventually.ThatAsync(() => stopped.Any(span => span.DisplayName == "process feature batch"
            && span.Links.Any(link => link.Context.SpanId == received.SpanId)), TimeSpan.FromSeconds(60), "the batch span linking it");
    }
}
