using CreditRisk.Contracts.Events.V1;
using CreditRisk.Messaging.Publishing;
using CreditRisk.Messaging.Telemetry;
using CreditRisk.Messaging.Tests.Support;
using CreditRisk.Testing.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;

namespace CreditRisk.Messaging.Tests;

public sealed class ConsumeErrorTests(DevBrokerFixture broker) : IClassFixture<DevBrokerFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_subscribed_topic_that_does_not_exist_yet_is_a_counted_error_and_its_records_are_handled_once_it_does()
    {
        var topic = TestEvents.UniqueTopic("not-yet");
        var group = "not-yet-" + Guid.NewGuid().ToString("N");
        var recorder = new Recorder();
        using var errors = new MetricCollector<long>(null, MessagingTelemetry.Name, "creditrisk.messaging.consume.errors");
        // No provisioning: the consumer subscribes to a topic the broker does not know, and Consume reports it.
        await using var host = await EventBusHost.StartAsync(
            broker.BootstrapServers,
            bus => bus.AddSubscription<TransactionRecorded, RecordingHandler<TransactionRecorded>>(o =>
            {
                o.Topic = topic;
                o.GroupId = group;
            }),
            services => services.AddSingleton(recorder).AddSingleton(new InstanceName("a"))
                .Configure<KafkaOptions>(kafka => kafka.Consumer["topic.metadata.refresh.interval.ms"] = "500"),
            provisionTopics: false);

        var lifetime = host.Get<IHostApplicationLifetime>();
        await Eventually.ThatAsync(() => ErrorsOf(errors, topic).Count > 0 || lifetime.ApplicationStopping.IsCancellationRequested, Deadline,
            "the missing topic to be counted as a consume error");
        Assert.False(lifetime.ApplicationStopping.IsCancellationRequested, "the consume error stopped the host");
        var counted = ErrorsOf(errors, topic)[0];
        Assert.Equal(1, counted.Value);
        Assert.Equal(group, counted.Tags[MessagingTelemetry.ConsumerGroupTag]);
        Assert.Equal("UnknownTopicOrPart", counted.Tags[MessagingTelemetry.ErrorTypeTag]);

        await broker.CreateTopicAsync(topic);
        var @event = TestEvents.Transaction("C-1");
        await host.Get<IEventPublisher>().PublishAsync(@event, topic, TestContext.Current.CancellationToken);

        await Eventually.ThatAsync(() => recorder.Events<TransactionRecorded>().Any(handled => handled.Equals(@event)), Deadline,
            "the record published once the topic exists to be handled");
        Assert.False(lifetime.ApplicationStopping.IsCancellationRequested);
    }

    private static List<CollectedMeasurement<long>> ErrorsOf(MetricCollector<long> errors, string topic) =>
        [.. errors.GetMeasurementSnapshot().Where(measurement => Equals(measurement.Tags[MessagingTelemetry.DestinationTag], topic))];
}
