using CreditRisk.Contracts.Events.V1;
using CreditRisk.Messaging.Health;
using CreditRisk.Messaging.Publishing;
using CreditRisk.Messaging.Telemetry;
using CreditRisk.Messaging.Tests.Support;
using CreditRisk.Testing.Kafka;
using CreditRisk.Testing.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CreditRisk.Messaging.Tests;

public sealed class MetricsTests(DevBrokerFixture broker) : IClassFixture<DevBrokerFixture>
{
    [Fact]
    public async Task Produced_consumed_retried_dead_lettered_and_handler_duration_are_measured()
    {
        using var sent = new MetricCollector<long>(MessagingTelemetry.RecordsProduced);
        using var consumed = new MetricCollector<long>(MessagingTelemetry.RecordsConsumed);
        using var retries = new MetricCollector<long>(MessagingTelemetry.HandlerRetries);
        using var deadLettered = new MetricCollector<long>(MessagingTelemetry.DeadLettered);
        using var handled = new MetricCollector<double>(MessagingTelemetry.HandlerDuration);
        const string Destination = MessagingTelemetry.DestinationTag;
        var topic = TestEvents.UniqueTopic("metrics");
        var recorder = new Recorder();
        await broker.CreateTopicAsync(topic);
        // Fails once per event, then succeeds: every record is retried once and then handled.
        await using var host = await EventBusHost.StartAsync(
            broker.BootstrapServers,
            bus => bus.AddSubscription<TransactionRecorded, FlakyHandler>(o =>
            {
                o.Topic = topic;
                o.GroupId = "metrics";
                o.InitialRetryDelay = TimeSpan.FromMilliseconds(10);
            }),
            services => services.AddSingleton(recorder).AddSingleton(new FlakyHandler.Settings(1)),
            provisionTopics: false);
        var publisher = host.Get<IEventPublisher>();

        for (var i = 0; i < 5; i++)
        {
            await publisher.PublishAsync(TestEvents.Transaction("C-1"), topic, TestContext.Current.CancellationToken);
        }
        await Eventually.ThatAsync(() => consumed.Sum(Destination, topic) == 5, TimeSpan.FromSeconds(60), $"5 consumed records (handled {recorder.Handled.Count}, sent {sent.Sum(Destination, topic)})");

        Assert.Equal(5, sent.Sum(Destination, topic));
        Assert.Equal(5, retries.Sum(Destination, topic));
        Assert.Equal(5, handled.Count(Destination, topic));
        Assert.Equal(0, deadLettered.Sum(Destination, topic));
    }

    [Fact]
    public async Task A_fatal_client_error_makes_the_health_check_unhealthy()
    {
        var health = new KafkaClientHealth();
        var check = new KafkaHealthCheck(health);
        var context = new HealthCheckContext();

        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(context, TestContext.Current.CancellationToken)).Status);
        health.ReportFatal("producer", "Local_Fatal: producer fenced");
        var unhealthy = await check.CheckHealthAsync(context, TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Unhealthy, unhealthy.Status);
        Assert.Contains("producer fenced", unhealthy.Description, StringComparison.Ordinal);
    }
}
