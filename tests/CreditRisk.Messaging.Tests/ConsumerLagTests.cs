using CreditRisk.Contracts.Events.V1;
using CreditRisk.Messaging.Publishing;
using CreditRisk.Messaging.Telemetry;
using CreditRisk.Messaging.Tests.Support;
using CreditRisk.Testing.Kafka;
using Microsoft.Extensions.DependencyInjection;

namespace CreditRisk.Messaging.Tests;

public sealed class ConsumerLagTests(DevBrokerFixture broker) : IClassFixture<DevBrokerFixture>
{
    [Fact]
    public async Task Lag_per_partition_is_reported_while_the_handler_is_behind_and_drains_to_zero()
    {
        const int count = 30;
        var topic = TestEvents.UniqueTopic("lag");
        await broker.CreateTopicAsync(topic, partitions: 1);
        var group = "lag-" + Guid.NewGuid().ToString("N");
        var recorder = new Recorder();
        // Publish the backlog first, so the consumer starts behind.
        using (var producer = broker.CreateProducer<string, byte[]>())
        {
            for (var i = 0; i < count; i++)
            {
                var @event = TestEvents.Transaction("C-1");
                await producer.ProduceAsync(topic, new() { Key = "C-1", Value = Google.Protobuf.MessageExtensions.ToByteArray(@event) }, TestContext.Current.CancellationToken);
            }
        }
        var observed = new List<long>();

        await using var host = await EventBusHost.StartAsync(
            broker.BootstrapServers,
            bus => bus.AddSubscription<TransactionRecorded, SlowHandler>(o => { o.Topic = topic; o.GroupId = group; }),
            services => services.AddSingleton(recorder).AddSingleton(new SlowHandler.Settings(TimeSpan.FromMilliseconds(100))),
            provisionTopics: false);

        var timeout = TimeSpan.FromSeconds(60);
        await Eventually.ThatAsync(() =>
        {
            if (MessagingTelemetry.ConsumerLag.Get(group, topic, 0) is { } lag)
            {
                observed.Add(lag);
            }
            return recorder.Handled.Count == count;
        }, timeout, "all records handled", TimeSpan.FromMilliseconds(20));
        await Eventually.ThatAsync(() => MessagingTelemetry.ConsumerLag.Get(group, topic, 0) == 0, timeout, "lag back to 0");

        Assert.Contains(observed, lag => lag >= count / 2);
        Assert.All(observed, lag => Assert.InRange(lag, 0, count));
    }
}
