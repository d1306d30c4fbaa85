using CreditRisk.Contracts.Events.V1;
using CreditRisk.Messaging.Publishing;
using CreditRisk.Messaging.Tests.Support;
using CreditRisk.Testing.Kafka;
using Microsoft.Extensions.DependencyInjection;

namespace CreditRisk.Messaging.Tests;

/// <summary>A broadcast subscription (a group per instance) that starts at the latest record rather than replaying history.</summary>
public sealed class StartAtLatestTests(DevBrokerFixture broker) : IClassFixture<DevBrokerFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_new_group_that_starts_at_latest_skips_what_was_published_before_it_joined()
    {
        var topic = await broker.CreateUniqueTopicAsync("latest");
        var recorder = new Recorder();
        await using var before = await EventBusHost.StartAsync(broker.BootstrapServers, _ => { }, provisionTopics: false);
        var old = Promotion("old");
        await before.Get<IEventPublisher>().PublishAsync(old, topic, TestContext.Current.CancellationToken);

        await using var host = await EventBusHost.StartAsync(broker.BootstrapServers, bus => bus
                .AddSubscription<ModelVersionPromoted, RecordingHandler<ModelVersionPromoted>>(options =>
                {
                    options.Topic = topic;
                    options.GroupId = "latest-" + Guid.NewGuid().ToString("N");
                    options.StartAtLatest = true;
                }),
            services => services.AddSingleton(recorder).AddSingleton(new InstanceName("a")), provisionTopics: false);
        var publisher = host.Get<IEventPublisher>();

        // Probes until one is handled: the group has joined and reads from where the topic ended then.
        await Eventually.ThatAsync(async () =>
        {
            await publisher.PublishAsync(Promotion("probe"), topic, TestContext.Current.CancellationToken);
            await Task.Delay(100, TestContext.Current.CancellationToken);
            return recorder.Handled.Count > 0;
        }, Deadline, "a probe to be handled", TimeSpan.FromMilliseconds(200));

        Assert.DoesNotContain(recorder.Events<ModelVersionPromoted>(), promoted => promoted.Envelope.EventId == old.Envelope.EventId);
        Assert.All(recorder.Events<ModelVersionPromoted>(), promoted => Assert.Equal("probe", promoted.Reason));
    }

    private static ModelVersionPromoted Promotion(string reason) => new()
    {
        Envelope = EventEnvelopeFactory.Create("credit_default", DateTimeOffset.UtcNow, "test"),
        ModelName = "credit_default",
        Alias = "champion",
        ToVersion = 2,
        Reason = reason,
    };
}
